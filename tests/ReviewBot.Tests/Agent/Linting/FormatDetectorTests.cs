using ReviewBot.Agent.Linting;

namespace ReviewBot.Tests.Agent.Linting;

public class FormatDetectorTests
{
    [Theory]
    [InlineData("shellcheck", "gcc-format.txt", "gcc")]
    [InlineData("gcc", "wall-wextra.txt", "gcc")]
    [InlineData("gcc", "wall-wextra-color.txt", "gcc")]
    [InlineData("pylint", "msg-template.txt", "gcc")]
    [InlineData("golangci-lint", "golden-line-number.txt", "gcc")]
    [InlineData("dotnet-build", "build-warnings.txt", "msbuild")]
    [InlineData("dotnet-build", "build-error-end-location.txt", "msbuild")]
    [InlineData("dotnet-build", "build-csc-error.txt", "msbuild")]
    [InlineData("dotnet-build", "build-msbuild-error.txt", "msbuild")]
    [InlineData("eslint", "checkstyle.xml", "checkstyle")]
    [InlineData("dotnet-build", "roslyn-errorlog.sarif", "sarif")]
    [InlineData("eslint", "sarif.sarif", "sarif")]
    [InlineData("eslint", "sarif-rebased-srcroot.sarif", "sarif")]
    [InlineData("reviewdog", "custom_rdjson.json", "rdjson")]
    [InlineData("reviewdog", "custom_rdjsonl.json", "rdjson")]
    [InlineData("reviewdog", "parser-example-rdjson.json", "rdjson")]
    public void Detect_CapturedOutput_PicksItsFormat(string tool, string file, string expected)
    {
        var output = LinterTestData.Read(tool, file);

        Assert.Equal(expected, FormatDetector.Detect(output));
        Assert.Equal(OutputParsers.Parse(expected, output), OutputParsers.Parse("auto", output), ParseResultComparer.Instance);
    }

    [Theory]
    [InlineData("", "gcc")]
    [InlineData("npm warn x\n<?xml version=\"1.0\"?><checkstyle></checkstyle>", "checkstyle")]
    [InlineData("{\"runs\": [", "sarif")]
    [InlineData("{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"version\": ", "sarif")]
    [InlineData("{\"message\": \"m\", \"location\": {\"path\": \"a\"}}", "rdjson")]
    [InlineData("note: a gcc-ish line mentioning (1,2): error but not MSBuild's shape", "gcc")]
    public void Detect_EdgeCases(string output, string expected)
    {
        Assert.Equal(expected, FormatDetector.Detect(output));
    }

    [Fact]
    public void Parse_UnknownFormat_ThrowsBecauseItIsACallerBug()
    {
        Assert.Throws<ArgumentException>(() => OutputParsers.Parse("junit", ""));
    }

    [Fact]
    public void Parse_ByteOrderMark_IsIgnored()
    {
        var result = OutputParsers.Parse("auto", "\uFEFF" + LinterTestData.Read("eslint", "checkstyle.xml"), "/tmp/es");

        Assert.Equal(9, result.Findings.Count);
    }

    private sealed class ParseResultComparer : IEqualityComparer<ParseResult>
    {
        public static readonly ParseResultComparer Instance = new();

        public bool Equals(ParseResult? x, ParseResult? y) =>
            x is not null && y is not null && x.Findings.SequenceEqual(y.Findings) && x.Unexpected.SequenceEqual(y.Unexpected);

        public int GetHashCode(ParseResult obj) => obj.Findings.Count;
    }
}
