using ReviewBot.Agent.Linting;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Tests.Agent.Linting;

public class OutputParsersTests
{
    public static TheoryData<string> Formats => new(OutputFormats.All);

    [Theory]
    [MemberData(nameof(Formats))]
    public void Parse_Garbage_NeverThrows_AndKeepsEveryLine(string format)
    {
        const string garbage = "\u0000\u0001 binary junk\n<<<{{{[[[\n]]]}}}>>>\n{\"runs\": 5, \"diagnostics\": \"x\"}\n";

        var result = OutputParsers.Parse(format, garbage);

        Assert.Empty(result.Findings);
        Assert.NotEmpty(result.Unexpected);
        Assert.Contains(result.Unexpected, line => line.Contains("]]]}}}>>>", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Parse_BlankOutput_HasNoFindings(string format)
    {
        var result = OutputParsers.Parse(format, "\n  \r\n\t\n");

        Assert.Empty(result.Findings);
        Assert.All(result.Unexpected, line => Assert.Contains(':', line)); // at most a "format: reason" line
    }

    [Theory]
    [InlineData("/repo/src/a.c", "/repo", "src/a.c")]
    [InlineData("/repo/src/a.c", "/repo/", "src/a.c")]
    [InlineData("/repository/a.c", "/repo", "/repository/a.c")]
    [InlineData("./src/./a.c", null, "src/./a.c")]
    [InlineData("src\\win\\a.c", null, "src/win/a.c")]
    [InlineData("file:///repo/my%20dir/a.c", "/repo", "my dir/a.c")]
    [InlineData("file://localhost/repo/a.c", "/repo", "a.c")]
    [InlineData("file:///C:/Repo/a.c", "c:\\repo", "a.c")]
    [InlineData("file://server/share/a.c", null, "//server/share/a.c")]
    [InlineData("/repo/a.c", "file:///repo/", "a.c")]
    public void PathNormalizer_MakesPathsRepoRelativeAndSlashSeparated(string path, string? root, string expected)
    {
        Assert.Equal(expected, new PathNormalizer(root).Normalize(path));
    }
}
