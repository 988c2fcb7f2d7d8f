using ReviewBot.Agent.Linting;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Tests.Agent.Linting;

public class GccParserTests
{
    [Fact]
    public void Parse_ShellCheckGccFormat_ReturnsEveryFindingWithRuleAndSeverity()
    {
        var result = OutputParsers.Parse("gcc", LinterTestData.Read("shellcheck", "gcc-format.txt"));

        Assert.Empty(result.Unexpected);
        Assert.Equal(13, result.Findings.Count);
        Assert.Equal(9, result.Findings.Count(f => f.File == "scripts/deploy.sh"));
        Assert.Equal(4, result.Findings.Count(f => f.File == "scripts/clean.sh"));
        Assert.Equal(
            new Finding("scripts/deploy.sh", 4, 12, null, Severity.Info, "SC2035", "Use ./*glob* or -- *glob* so names with dashes won't become options."),
            result.Findings[0]);
        Assert.Equal(
            new Finding("scripts/deploy.sh", 8, 1, null, Severity.Warning, "SC2164", "Use 'cd ... || exit' or 'cd ... || return' in case cd fails."),
            result.Findings[3]);
        Assert.Equal(
            new Finding("scripts/clean.sh", 5, 1, null, Severity.Warning, "SC3010", "In POSIX sh, [[ ]] is undefined."),
            result.Findings[12]);
    }

    [Fact]
    public void Parse_TwoFindingsOnTheSameColumn_KeepsBoth()
    {
        var result = OutputParsers.Parse("gcc", LinterTestData.Read("shellcheck", "gcc-format.txt"));

        var atLine11 = result.Findings.Where(f => f.File == "scripts/deploy.sh" && f.Line == 11 && f.Column == 10).ToList();
        Assert.Equal(["SC2115", "SC2086"], atLine11.Select(f => f.Rule));
    }

    [Fact]
    public void Parse_AbsolutePathsUnderRepoRoot_BecomeRelative_AndErrorLineIsUnexpected()
    {
        var result = OutputParsers.Parse("gcc", LinterTestData.Read("shellcheck", "gcc-format-absolute-and-missing-file.txt"), "/tmp/sc");

        Assert.Equal(4, result.Findings.Count);
        Assert.All(result.Findings, f => Assert.Equal("scripts/clean.sh", f.File));
        Assert.Equal(["scripts/missing.sh: scripts/missing.sh: openBinaryFile: does not exist (No such file or directory)"], result.Unexpected);
    }

    [Fact]
    public void Parse_GccDiagnostics_AttachSourceAndCaretLinesToTheMessage()
    {
        var result = OutputParsers.Parse("gcc", LinterTestData.Read("gcc", "wall-wextra.txt"));

        Assert.Empty(result.Unexpected); // "t.c: In function ‘f’:" headers are understood, not unexpected
        Assert.Equal(3, result.Findings.Count);
        Assert.Equal(
            new Finding("t.c", 4, 9, null, Severity.Warning, "-Wparentheses",
                "suggest parentheses around assignment used as truth value\n    4 |     if (x = 3) return 1;\n      |         ^"),
            result.Findings[0]);
        Assert.Equal(
            new Finding("t.c", 3, 9, null, Severity.Warning, "-Wunused-variable",
                "unused variable ‘unused’\n    3 |     int unused;\n      |         ^~~~~~"),
            result.Findings[1]);
        var format = result.Findings[2];
        Assert.Equal(("t.c", 6, 27, "-Wformat="), (format.File, format.Line, format.Column, format.Rule));
        Assert.StartsWith("format ‘%d’ expects argument of type ‘int’, but argument 2 has type ‘char *’\n    6 | int main(void)", format.Message);
        Assert.EndsWith("      |                          %s", format.Message);
    }

    [Fact]
    public void Parse_ColouredGccOutput_GivesTheSameFindingsAsPlainOutput()
    {
        var plain = OutputParsers.Parse("gcc", LinterTestData.Read("gcc", "wall-wextra.txt"));
        var coloured = OutputParsers.Parse("gcc", LinterTestData.Read("gcc", "wall-wextra-color.txt"));

        Assert.Equal(plain.Findings, coloured.Findings);
        Assert.Empty(coloured.Unexpected);
    }

    [Fact]
    public void Parse_GccIncludeChainAndErrors_MapsErrorNoteAndWarning()
    {
        var result = OutputParsers.Parse("gcc", LinterTestData.Read("gcc", "include-and-error.txt"));

        Assert.Empty(result.Unexpected);
        Assert.Equal(4, result.Findings.Count);
        Assert.Equal(("inc.h", 1, 32, Severity.Warning), (result.Findings[0].File, result.Findings[0].Line, result.Findings[0].Column, result.Findings[0].Severity));
        var error = result.Findings[1];
        Assert.Equal(("u.c", 2, 36, Severity.Error, (string?)null), (error.File, error.Line, error.Column, error.Severity, error.Rule));
        Assert.StartsWith("‘missing’ undeclared (first use in this function)\n    2 | int use(void)", error.Message);
        Assert.Equal(
            new Finding("u.c", 2, 36, null, Severity.Info, null, "each undeclared identifier is reported only once for each function it appears in"),
            result.Findings[2]);
        Assert.Equal("-Wreturn-type", result.Findings[3].Rule);
    }

    [Fact]
    public void Parse_PylintTemplate_TakesCategoryAndSymbol_AndKeepsBanners()
    {
        var result = OutputParsers.Parse("gcc", LinterTestData.Read("pylint", "msg-template.txt"));

        Assert.Equal(18, result.Findings.Count);
        Assert.Equal(
            new Finding("pkg/report.py", 1, null, null, Severity.Info, "missing-module-docstring", "Missing module docstring"),
            result.Findings[0]);
        Assert.Equal(
            new Finding("pkg/report.py", 1, null, null, Severity.Info, "multiple-imports", "Multiple imports on one line (os, sys)"),
            result.Findings[1]);
        Assert.Equal(
            new Finding("pkg/report.py", 4, null, null, Severity.Warning, "dangerous-default-value", "Dangerous default value [] as argument"),
            result.Findings[3]);
        Assert.Equal(
            new Finding("pkg/report.py", 8, 7, null, Severity.Info, "singleton-comparison", "Comparison 'total == None' should be 'total is None'"),
            result.Findings[5]);
        Assert.Equal(
            ["************* Module report", "-----------------------------------", "Your code has been rated at 0.00/10"],
            result.Unexpected);
    }

    [Fact]
    public void Parse_GolangciLintLineNumberFormat_ReadsLinesWithAndWithoutColumn()
    {
        var result = OutputParsers.Parse("gcc", LinterTestData.Read("golangci-lint", "golden-line-number.txt"));

        Assert.Empty(result.Unexpected);
        Assert.Equal(22, result.Findings.Count);
        Assert.Equal(
            new Finding("pkg/experimental/myplugin/myplugin.go", 13, 1, null, Severity.Warning, null, "don't use `init` function"),
            result.Findings[0]);
        Assert.Equal(
            new Finding("pkg/printers/printer_test.go", 6, null, null, Severity.Warning, null,
                "File is not `goimports`-ed with -local github.com/golangci/golangci-lint"),
            result.Findings[2]);
        Assert.Equal(
            "hugeParam: settings is heavy (80 bytes); consider passing it by pointer",
            result.Findings[1].Message);
    }

    [Fact]
    public void Parse_GolangciLintIssuedLines_TakesLinterNameAsRule_AndSourceLinesAsMessage()
    {
        var result = OutputParsers.Parse("gcc", LinterTestData.Read("golangci-lint", "text-issued-lines-linter-name.txt"));

        Assert.Empty(result.Unexpected);
        Assert.Equal(
            [
                new Finding("path/to/filea.go", 10, 4, null, Severity.Warning, "linter-a", "some issue"),
                new Finding("path/to/fileb.go", 300, 9, null, Severity.Warning, "linter-b", "another issue\nfunc foo() {\n\tfmt.Println(\"bar\")\n}"),
            ],
            result.Findings);
    }

    [Fact]
    public void Parse_GolangciLintColoured_GivesTheSameFindings()
    {
        var plain = OutputParsers.Parse("gcc", LinterTestData.Read("golangci-lint", "text-issued-lines-linter-name.txt"));
        var coloured = OutputParsers.Parse("gcc", LinterTestData.Read("golangci-lint", "text-colored.txt"));

        Assert.Equal(plain.Findings, coloured.Findings);
    }

    [Fact]
    public void Parse_WindowsDrivePaths_AreReadAndMadeRelative()
    {
        const string output = "C:\\src\\app\\lib\\main.c:3:1: error: expected ';' before '}' token\r\n"
            + "D:\\other\\x.c:7: warning: outside the repository\r\n";

        var result = OutputParsers.Parse("gcc", output, "c:\\SRC\\app\\");

        Assert.Empty(result.Unexpected);
        Assert.Equal(
            [
                new Finding("lib/main.c", 3, 1, null, Severity.Error, null, "expected ';' before '}' token"),
                new Finding("D:/other/x.c", 7, null, null, Severity.Warning, null, "outside the repository"),
            ],
            result.Findings);
    }

    [Theory]
    [InlineData("/home/me/My Project/a.c:3:1: warning: x", "/home/me/My Project/a.c")]
    [InlineData("src/my file.c:2: warning: x", "src/my file.c")]
    [InlineData("./my dir/a.c:2: warning: x", "my dir/a.c")]
    [InlineData("./src/a.go:1:2: x", "src/a.go")]
    public void Parse_PathsThatLookLikePaths_AreFindings(string line, string expectedFile)
    {
        var result = OutputParsers.Parse("gcc", line);

        Assert.Equal(expectedFile, Assert.Single(result.Findings).File);
    }

    [Theory]
    [InlineData("Something went wrong at step:3: retrying")]
    [InlineData("In file included from t.c:1")]
    [InlineData("12:30:01: timestamped log line")]
    [InlineData("a.go:342 message without a colon")]
    public void Parse_ProseThatOnlyResemblesAFinding_IsUnexpected(string line)
    {
        var result = OutputParsers.Parse("gcc", line);

        Assert.Empty(result.Findings);
        Assert.Equal([line], result.Unexpected);
    }

    [Fact]
    public void Parse_LinesBeforeTheFirstFinding_AreUnexpected_AndABlankLineEndsAMessage()
    {
        const string output = "running linter...\n\na.c:1:2: warning: first\n  detail one\n  detail two\n\nsummary: 1 problem\n";

        var result = OutputParsers.Parse("gcc", output);

        Assert.Equal([new Finding("a.c", 1, 2, null, Severity.Warning, null, "first\n  detail one\n  detail two")], result.Findings);
        Assert.Equal(["running linter...", "summary: 1 problem"], result.Unexpected);
    }

    [Fact]
    public void Parse_ExactDuplicates_AreDropped()
    {
        const string output = "a.go:1:2: ineffectual assignment to err (ineffassign)\na.go:1:2: ineffectual assignment to err (ineffassign)\n";

        var result = OutputParsers.Parse("gcc", output);

        Assert.Equal([new Finding("a.go", 1, 2, null, Severity.Warning, "ineffassign", "ineffectual assignment to err")], result.Findings);
    }
    /// <summary>reviewbot's ParseV2 table, "case2": gocritic quotes a Go string literal that holds an empty line.</summary>
    [Fact]
    public void Parse_AMessageQuotingCodeAcrossABlankLine_KeepsItsContinuation()
    {
        const string output = "a.go:744:7: wrapperFunc: use strings.ReplaceAll method in `strings.Replace(`--08b8\n7a945cd<...>: application/octet-stream\n\n`, \"\\n\", \"\\r\\n\", -1)` (gocritic)\nb.go:1:1: next\n";

        var result = OutputParsers.Parse("gcc", output);

        Assert.Equal(
            [
                new Finding("a.go", 744, 7, null, Severity.Warning, "gocritic",
                    "wrapperFunc: use strings.ReplaceAll method in `strings.Replace(`--08b8\n7a945cd<...>: application/octet-stream\n\n`, \"\\n\", \"\\r\\n\", -1)`"),
                new Finding("b.go", 1, 1, null, Severity.Warning, null, "next"),
            ],
            result.Findings);
        Assert.Empty(result.Unexpected);
    }

    /// <summary>reviewbot's ParseV2 table, "case4": a finding whose message is empty.</summary>
    [Theory]
    [InlineData("file2.txt:6:7: ")]
    [InlineData("file2.txt:6:7:")]
    public void Parse_APositionWithAnEmptyMessage_IsAFindingWithItsColumn(string line)
    {
        var result = OutputParsers.Parse("gcc", "file.txt:6:7: message\n" + line);

        Assert.Equal(
            [new Finding("file.txt", 6, 7, null, Severity.Warning, null, "message"), new Finding("file2.txt", 6, 7, null, Severity.Warning, null, "")],
            result.Findings);
        Assert.Empty(result.Unexpected);
    }
}
