using ReviewBot.Agent.Linting;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Tests.Agent.Linting;

public class RdjsonParserTests
{
    [Fact]
    public void Parse_Rdjson_ReadsRangesSeveritiesCodesAndFileComments()
    {
        var result = OutputParsers.Parse("rdjson", LinterTestData.Read("reviewdog", "custom_rdjson.json"));

        Assert.Empty(result.Unexpected);
        Assert.Equal(15, result.Findings.Count);
        Assert.Equal(new Finding("_testdata/custom.txt", 5, null, 9, Severity.Warning, null, "range test 1 (line only)"), result.Findings[0]);
        Assert.Equal(new Finding("_testdata/custom.txt", 6, 2, 7, Severity.Warning, null, "range test 3 (with line-break)"), result.Findings[2]);
        Assert.Equal(Severity.Info, result.Findings[5].Severity);
        Assert.Equal(Severity.Warning, result.Findings[6].Severity); // numeric 2 = WARNING in reviewdog.proto
        Assert.Equal(Severity.Error, result.Findings[8].Severity);
        Assert.Equal(new Finding("_testdata/custom.txt", 3, 5, null, Severity.Error, "E14", "code test 1 (rule only)"), result.Findings[9]);
        Assert.Equal(new Finding("_testdata/custom.txt", 0, null, null, Severity.Warning, null, "test file comment"), result.Findings[14]);
    }

    [Fact]
    public void Parse_Rdjsonl_ReadsOneDiagnosticPerLine()
    {
        var result = OutputParsers.Parse("rdjson", LinterTestData.Read("reviewdog", "custom_rdjsonl.json"));

        Assert.Empty(result.Unexpected);
        Assert.Equal(7, result.Findings.Count);
        Assert.Equal(new Finding("_testdata/custom.txt", 12, 5, 12, Severity.Warning, null, "range test 5 (within line)"), result.Findings[4]);
        Assert.Equal(new Finding("_testdata/custom.txt", 3, 5, null, Severity.Info, null, "severity test 1"), result.Findings[5]);
        Assert.Equal(new Finding("_testdata/custom.txt", 3, 4, null, Severity.Warning, null, "severity test 2"), result.Findings[6]);
    }

    [Fact]
    public void Parse_DiagnosticsWithoutSeverity_TakeTheResultSeverity()
    {
        var result = OutputParsers.Parse("rdjson", LinterTestData.Read("reviewdog", "parser-example-rdjson.json"));

        Assert.Equal(
            [
                new Finding("testdata/main.go", 18, 6, null, Severity.Info, null, "'unused' is unused"),
                new Finding("testdata/main.go", 13, 2, null, Severity.Info, null, "printf: Sprintf format %d reads arg #1, but call has 0 args"),
                new Finding("testdata/main.go", 24, 6, null, Severity.Warning, null, "severity test (string)"),
                new Finding("testdata/main.go", 24, 6, null, Severity.Error, null, "severity test (number)"),
            ],
            result.Findings);
    }

    [Fact]
    public void Parse_RdjsonlWithNoise_KeepsTheNoiseAsUnexpected()
    {
        var lines = LinterTestData.Read("reviewdog", "custom_rdjsonl.json").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var output = string.Join('\n', ["linting…", lines[0], "{not json", lines[1]]);

        var result = OutputParsers.Parse("rdjson", output);

        Assert.Equal(2, result.Findings.Count);
        Assert.Equal(["linting…", "{not json"], result.Unexpected);
    }

    [Fact]
    public void Parse_TruncatedRdjson_ReturnsEverythingAsUnexpected()
    {
        var json = LinterTestData.Read("reviewdog", "custom_rdjson.json");
        var truncated = json[..(json.Length / 3)];

        var result = OutputParsers.Parse("rdjson", truncated);

        Assert.Empty(result.Findings);
        Assert.StartsWith("rdjson: invalid JSON:", result.Unexpected[0]);
        Assert.Equal(truncated.Split('\n').Count(l => l.Trim().Length > 0) + 1, result.Unexpected.Count);
    }
}
