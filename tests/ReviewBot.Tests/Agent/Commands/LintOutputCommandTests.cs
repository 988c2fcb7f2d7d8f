using System.CommandLine;
using System.Text.Json;
using ReviewBot.Agent.Commands;
using ReviewBot.Tests.Agent.Linting;

namespace ReviewBot.Tests.Agent.Commands;

public class LintOutputCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_PrintsOneCamelCaseJsonObjectPerFinding()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await LintOutputCommand.RunAsync("gcc", new StringReader(LinterTestData.Read("shellcheck", "gcc-format.txt")), output, error)
            .WaitAsync(Timeout);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error.ToString());
        var lines = Lines(output);
        Assert.Equal(13, lines.Count);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(
            ["file", "line", "column", "endLine", "severity", "rule", "message", "fix"],
            first.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("scripts/deploy.sh", first.RootElement.GetProperty("file").GetString());
        Assert.Equal(4, first.RootElement.GetProperty("line").GetInt32());
        Assert.Equal(12, first.RootElement.GetProperty("column").GetInt32());
        Assert.Equal(JsonValueKind.Null, first.RootElement.GetProperty("endLine").ValueKind);
        Assert.Equal("info", first.RootElement.GetProperty("severity").GetString());
        Assert.Equal("SC2035", first.RootElement.GetProperty("rule").GetString());
        Assert.Equal("Use ./*glob* or -- *glob* so names with dashes won't become options.", first.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task RunAsync_ShowsEachFindingsFix()
    {
        var output = new StringWriter();

        var exitCode = await LintOutputCommand.RunAsync("diff", new StringReader(LinterTestData.Read("shfmt", "shfmt-d.txt")), output, new StringWriter())
            .WaitAsync(Timeout);

        Assert.Equal(0, exitCode);
        using var first = JsonDocument.Parse(Lines(output)[0]);
        var fix = first.RootElement.GetProperty("fix");
        Assert.Equal(3, fix.GetProperty("startLine").GetInt32());
        Assert.Equal(3, fix.GetProperty("endLine").GetInt32());
        Assert.Equal("\techo yes\n", fix.GetProperty("text").GetString());
    }

    [Fact]
    public async Task RunAsync_PrintsUnexpectedLinesAfterTheFindings()
    {
        var output = new StringWriter();

        var exitCode = await LintOutputCommand.RunAsync("auto", new StringReader(LinterTestData.Read("pylint", "msg-template.txt")), output, new StringWriter())
            .WaitAsync(Timeout);

        Assert.Equal(0, exitCode);
        var lines = Lines(output);
        Assert.Equal(18 + 3, lines.Count);
        var unexpected = lines.Skip(18).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            return Assert.Single(doc.RootElement.EnumerateObject(), p => p.Name == "unexpected").Value.GetString();
        });
        Assert.Equal(["************* Module report", "-----------------------------------", "Your code has been rated at 0.00/10"], unexpected);
    }

    [Fact]
    public async Task RunAsync_MultiLineMessagesAndNulls_RoundTripThroughJson()
    {
        var output = new StringWriter();

        await LintOutputCommand.RunAsync("gcc", new StringReader(LinterTestData.Read("golangci-lint", "text-issued-lines-linter-name.txt")), output, new StringWriter())
            .WaitAsync(Timeout);

        using var second = JsonDocument.Parse(Lines(output)[1]);
        Assert.Equal("another issue\nfunc foo() {\n\tfmt.Println(\"bar\")\n}", second.RootElement.GetProperty("message").GetString());
        Assert.Equal("linter-b", second.RootElement.GetProperty("rule").GetString());
        Assert.Equal("warning", second.RootElement.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task RunAsync_UnknownFormat_Returns2WithAMessageOnStderr()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await LintOutputCommand.RunAsync("junit", new StringReader("x"), output, error).WaitAsync(Timeout);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output.ToString());
        Assert.Contains("unknown format 'junit'", error.ToString());
        Assert.Contains("auto, gcc, msbuild, checkstyle, sarif, rdjson", error.ToString());
    }

    [Fact]
    public async Task Command_ReadsTheFileArgument_WithRepoRootAndFormat()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var path = LinterTestData.PathOf("dotnet-build", "roslyn-errorlog.sarif");

        var exitCode = await LintOutputCommand.Create()
            .Parse(["--format", "sarif", "--repo-root", "/tmp/cs/Demo", path])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error })
            .WaitAsync(Timeout);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error.ToString());
        var lines = Lines(output);
        Assert.Equal(7, lines.Count);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("Services/Mailer.cs", first.RootElement.GetProperty("file").GetString());
        Assert.Equal(7, first.RootElement.GetProperty("endLine").GetInt32());
        Assert.Equal("CS8618", first.RootElement.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Command_FormatDefaultsToAuto()
    {
        var output = new StringWriter();
        var path = LinterTestData.PathOf("dotnet-build", "build-warnings.txt");

        var exitCode = await LintOutputCommand.Create()
            .Parse([path])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() })
            .WaitAsync(Timeout);

        Assert.Equal(0, exitCode);
        Assert.Equal(6, Lines(output).Count);
    }

    [Fact]
    public async Task Command_MissingFile_Returns2WithAMessageOnStderr()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var path = Path.Combine(Path.GetTempPath(), $"reviewbot-missing-{Guid.NewGuid():N}.txt");

        var exitCode = await LintOutputCommand.Create()
            .Parse([path])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error })
            .WaitAsync(Timeout);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output.ToString());
        Assert.Contains($"cannot read '{path}'", error.ToString());
    }

    [Fact]
    public async Task Command_UnknownFormat_Returns2BeforeReadingInput()
    {
        var error = new StringWriter();

        var exitCode = await LintOutputCommand.Create()
            .Parse(["--format", "xml", "does-not-matter.txt"])
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error })
            .WaitAsync(Timeout);

        Assert.Equal(2, exitCode);
        Assert.Contains("unknown format 'xml'", error.ToString());
    }

    private static List<string> Lines(StringWriter writer) =>
        writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
}
