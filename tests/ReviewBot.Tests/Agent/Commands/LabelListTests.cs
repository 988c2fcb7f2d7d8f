using ReviewBot.Agent.Commands;

namespace ReviewBot.Tests.Agent.Commands;

public class LabelListTests
{
    [Fact]
    public void TrimsDropsEmptiesAndDeduplicatesIgnoringCase()
    {
        var labels = LabelList.Normalize([" linux , Go,,GO ", "linux", " ", null, "gpu"]);

        Assert.Equal(["linux", "Go", "gpu"], labels);
    }

    [Fact]
    public void KeepsKeyValueLabelsAndTidiesTheColon()
    {
        var labels = LabelList.Normalize(["os:linux, arch : arm64,OS:Linux"]);

        Assert.Equal(["os:linux", "arch:arm64"], labels);
    }

    [Fact]
    public void ValidateNamesLabelsWithReservedCharacters()
    {
        var errors = LabelList.Validate(["ok", "a&b", "(x)", "os:linux"]);

        Assert.Equal(2, errors.Count);
        Assert.Contains("'a&b'", errors[0]);
        Assert.Contains("'(x)'", errors[1]);
    }
}
