using ReviewBot.Agent.Linting;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Tests.Agent.Linting;

/// <summary>Fixes read from the formats that carry them, on captured output: applying every fix of a run to the file
/// gives what the tool itself writes when it fixes the file.</summary>
public sealed class FixParsingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fixes-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Parse_GofmtDiff_EachRunOfChangedLinesIsAFindingWhoseFixesGiveTheFormattedFile()
    {
        var result = OutputParsers.Parse("diff", LinterTestData.Read("gofmt", "gofmt-d.txt"));

        Assert.Empty(result.Unexpected);
        Assert.Equal([(6, 8), (10, 10), (14, 15)], result.Findings.Select(f => (f.Fix!.StartLine, f.Fix.EndLine)));
        Assert.All(result.Findings, f => Assert.Equal("cmd/app/main.go", f.File));
        Assert.Equal(new FindingFix(6, 8, "\tx := 1\n\tif x == 1 {\n\t\tfmt.Println(\"one\")\n"), result.Findings[0].Fix);
        Assert.Equal(
            LinterTestData.Read("gofmt", "main.formatted.go.txt"),
            Apply(LinterTestData.Read("gofmt", "main.go.txt"), result.Findings));
    }

    [Fact]
    public void Parse_ShfmtDiff_FixesGiveTheFormattedFile()
    {
        var result = OutputParsers.Parse("diff", LinterTestData.Read("shfmt", "shfmt-d.txt"));

        Assert.Empty(result.Unexpected);
        Assert.Equal(3, result.Findings.Count);
        Assert.Equal(new Finding("scripts/build.sh", 5, null, 7, Severity.Warning, null, DiffParser.Message) { Fix = new FindingFix(5, 7, "for i in 1 2 3; do\n\techo \"$i\"\n") },
            result.Findings[1]);
        Assert.Equal(
            LinterTestData.Read("shfmt", "build.formatted.sh.txt"),
            Apply(LinterTestData.Read("shfmt", "build.sh.txt"), result.Findings));
    }

    [Fact]
    public void Detect_AFormattersDiff_IsReadAsDiff()
    {
        var result = OutputParsers.Parse("auto", LinterTestData.Read("shfmt", "shfmt-d.txt"));

        Assert.Equal(3, result.Findings.Count(f => f.Fix is not null));
    }

    [Fact]
    public void Parse_GitDiffWithAddOnlyRunsAndBlackHeaders_AttachesInsertionsToAContextLine()
    {
        const string diff = """
            --- a/src/x.py	2026-12-01 10:00:00.000000+00:00
            +++ b/src/x.py	2026-12-01 10:00:01.000000+00:00
            @@ -1,3 +1,5 @@
            +import os
             import sys
             def f():
            +
                 pass
            would reformat src/x.py
            """;

        var result = OutputParsers.Parse("diff", diff);

        Assert.Equal(
            [new FindingFix(1, 1, "import os\nimport sys\n"), new FindingFix(2, 2, "def f():\n\n")],
            result.Findings.Select(f => f.Fix));
        Assert.All(result.Findings, f => Assert.Equal("src/x.py", f.File));
        Assert.Equal(["would reformat src/x.py"], result.Unexpected);
    }

    [Fact]
    public void Parse_BiomeRdjsonSuggestions_BecomeWholeLineFixesThatGiveTheFixedFile()
    {
        var root = Repo("biome", "app.js.txt", "src/app.js");

        var result = OutputParsers.Parse("rdjson", LinterTestData.Read("biome", "rdjson.json"), root);

        Assert.Equal(3, result.Findings.Count);
        Assert.Equal(new FindingFix(2, 2, "const count = 3;\n"), result.Findings.Single(f => f.Rule == "lint/style/useConst").Fix);
        Assert.Equal(new FindingFix(5, 5, "  if (x) {\n"), result.Findings.Single(f => f.Rule == "lint/complexity/noExtraBooleanCast").Fix);
        Assert.Equal(new FindingFix(1, 4, "var _total = 0;\nlet count = 3;\nfunction add(x) {\n  if (x > 0) _total += x;\n"),
            result.Findings.Single(f => f.Rule == "lint/correctness/noUnusedVariables").Fix);
    }

    [Fact]
    public void Parse_SarifReplacements_BecomeWholeLineFixes()
    {
        var root = Repo("biome", "app.js.txt", "src/app.js");

        var result = OutputParsers.Parse("sarif", LinterTestData.Read("sarif-fixes", "fixes.sarif"), "/work/repo", root);

        Assert.Equal(
            [new FindingFix(2, 2, "const count = 3;\n"), new FindingFix(1, 4, "var _total = 0;\nlet count = 3;\nfunction add(x) {\n  if (x > 0) _total += x;\n"), new FindingFix(5, 5, "  if (x) {\n")],
            result.Findings.Select(f => f.Fix));
        Assert.All(result.Findings, f => Assert.Equal("src/app.js", f.File));
    }

    [Fact]
    public void Parse_FixesWithoutTheFileToReadThemAgainst_AreDropped_TheFindingsStay()
    {
        var result = OutputParsers.Parse("rdjson", LinterTestData.Read("biome", "rdjson.json"), _root);

        Assert.Equal(3, result.Findings.Count);
        Assert.All(result.Findings, f => Assert.Null(f.Fix));
    }

    [Fact]
    public void Parse_RdjsonlSuggestionWithoutColumns_ReplacesWholeLines_AndByteColumnsCountUtf8()
    {
        var root = Repo(null, "é = 1\nb = 2\nc = 3\n", "a.py");
        const string output = """
            {"message":"m1","location":{"path":"a.py","range":{"start":{"line":2},"end":{"line":3}}},"suggestions":[{"range":{"start":{"line":2},"end":{"line":3}},"text":"bc = 5"}]}
            {"message":"m2","location":{"path":"a.py","range":{"start":{"line":1,"column":1}}},"suggestions":[{"range":{"start":{"line":1,"column":4},"end":{"line":1,"column":5}},"text":":="}]}
            """;

        var result = OutputParsers.Parse("rdjson", output, root);

        Assert.Equal([new FindingFix(2, 3, "bc = 5\n"), new FindingFix(1, 1, "é := 1\n")], result.Findings.Select(f => f.Fix));
    }

    /// <summary>Applies each finding's fix to <paramref name="text"/>, bottom up, as a reviewer accepting every suggestion would.</summary>
    internal static string Apply(string text, IEnumerable<Finding> findings)
    {
        var lines = text.Split('\n').ToList();
        var endsWithNewline = text.EndsWith('\n');
        if (endsWithNewline) lines.RemoveAt(lines.Count - 1);
        foreach (var fix in findings.Select(f => f.Fix!).OrderByDescending(f => f.StartLine))
        {
            lines.RemoveRange(fix.StartLine - 1, fix.LineCount);
            lines.InsertRange(fix.StartLine - 1, fix.NewLines);
        }
        return string.Join('\n', lines) + (endsWithNewline ? "\n" : "");
    }

    private string Repo(string? tool, string fileOrText, string path)
    {
        var full = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, tool is null ? fileOrText : LinterTestData.Read(tool, fileOrText));
        return _root;
    }
}
