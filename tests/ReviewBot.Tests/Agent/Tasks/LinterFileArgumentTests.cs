using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.Agent.Linting;
using ReviewBot.Agent.Tasks;
using ReviewBot.Agent.Workspaces;
using ReviewBot.Contracts.Agents;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Tasks;

/// <summary>
/// D4 of the security review: the names of a pull request's files are the author's, so <c>{files}</c> must never turn
/// one into a linter option (<c>--help.sh</c>) or into shell syntax (<c>$(…)</c> in a <c>sh -c</c> script). Real git,
/// real shellcheck, the real output parsers.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class LinterFileArgumentTests : IDisposable
{
    private const string BadScript = "#!/bin/sh\nfor f in $(ls *.txt); do echo $f; done\n";

    private readonly TempDirectory _workDir = new();
    private readonly FakeAgentServer _server = new();

    public void Dispose() => _workDir.Dispose();

    private TaskRunner NewRunner(GitRepo repo, LinterSpec linter) =>
        new(
            new TaskAssignment("task-files", "lease-1", 1,
                new SourceSpec("acme/widgets", repo.CloneUrl, repo.HeadSha, "feature", repo.BaseSha, "main", 7, null) { AllowLocal = true },
                linter, TimeSpan.FromSeconds(10)),
            "node-1",
            new RepoCache(_workDir.Combine("agent"), NullLogger<RepoCache>.Instance),
            _server,
            new TaskRunnerOptions { Parse = OutputParsers.Parse, KillGrace = TimeSpan.FromMilliseconds(500) },
            TimeProvider.System,
            NullLogger<TaskRunner>.Instance);

    [Fact]
    public async Task AFileNamedLikeAnOption_IsLintedAsAFile_AndTheRealFindingsAreReported()
    {
        using var repo = GitRepo.Create(
            new Dictionary<string, string> { ["README.md"] = "# x\n" },
            new Dictionary<string, string?> { ["--help.sh"] = "#!/bin/sh\necho \"fine\"\n", ["-n.sh"] = "#!/bin/sh\necho \"fine\"\n", ["bad.sh"] = BadScript });
        var shellcheck = new LinterSpec("shellcheck", ["shellcheck"], ["-f", "gcc", "{files}"], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1));
        using var runner = NewRunner(repo, shellcheck);

        var result = await runner.RunAsync().Within();

        Assert.True(result.Outcome == TaskOutcome.Failed, $"{result.Outcome}: {result.Error}");
        Assert.Contains(result.Findings, f => f.File == "bad.sh" && f.Rule == "SC2045");
        Assert.All(result.Findings, f => Assert.Equal("bad.sh", f.File));
        Assert.Empty(result.Unexpected);
        Assert.DoesNotContain("Usage", _server.LogText("task-files"));
    }

    /// <summary>Inside a longer argument (a <c>sh -c</c> script) the files are shell-quoted words.
    /// "cd;touch …" would create the sentinel in HOME, which the linter's env points at the test's folder.</summary>
    [Theory]
    [InlineData("a$(cd;touch pwned-files).sh")]
    [InlineData("b;cd;touch pwned-files;b.sh")]
    [InlineData("c`cd;touch pwned-files`.sh")]
    [InlineData("it's.sh")]
    [InlineData("d e.sh")]
    [InlineData("-e.sh")]
    public async Task FilesInsideAShellScript_AreWordsNotCode(string name)
    {
        var sentinel = _workDir.Combine("pwned-files");
        using var repo = GitRepo.Create(
            new Dictionary<string, string> { ["README.md"] = "# x\n" },
            new Dictionary<string, string?> { [name] = "echo\n", ["ok.sh"] = "echo\n" });
        var printer = new LinterSpec("printer", ["sh", "-c"], ["printf 'FILE:%s\\n' {files}"],
            new Dictionary<string, string> { ["HOME"] = _workDir.Path }, null, "gcc", [".sh"], TimeSpan.FromMinutes(1));
        using var runner = NewRunner(repo, printer);

        var result = await runner.RunAsync().Within();

        var log = _server.LogText("task-files");
        Assert.False(File.Exists(sentinel), "a file name ran as shell code:\n" + log);
        Assert.True(log.Contains($"FILE:./{name}\n", StringComparison.Ordinal), $"{name} is not one word in:\n{log}");
        Assert.Contains("FILE:./ok.sh\n", log);
        Assert.Equal(TaskOutcome.Succeeded, result.Outcome);
    }
}
