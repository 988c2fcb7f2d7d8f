using ReviewBot.Agent.Workspaces;

namespace ReviewBot.Tests.Agent.Workspaces;

public class FileFilterTests
{
    private static readonly string[] Files = ["a.sh", "lib/B.SH", "c.py", "Dockerfile", "web/x.d.ts", "README.md"];

    [Fact]
    public void EmptyLanguagesMeanEveryFile() => Assert.Equal(Files, FileFilter.Match(Files, []));

    [Fact]
    public void ExtensionsMatchIgnoringCase() => Assert.Equal(["a.sh", "lib/B.SH"], FileFilter.Match(Files, [".sh"]));

    [Fact]
    public void BareWordsMatchExtensionOrFileName() => Assert.Equal(["a.sh", "lib/B.SH", "Dockerfile"], FileFilter.Match(Files, ["sh", "dockerfile"]));

    [Fact]
    public void MultiPartSuffixes() => Assert.Equal(["web/x.d.ts"], FileFilter.Match(Files, [".d.ts"]));

    [Fact]
    public void NothingMatches() => Assert.Empty(FileFilter.Match(Files, [".go"]));
}
