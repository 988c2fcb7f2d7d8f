using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.Agent.Tasks;
using ReviewBot.Agent.Workspaces;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Tasks;

/// <summary><c>filter: new</c> on the agent: real shellcheck on the head and on the merge base of a real repository in
/// which the change renames a script and adds a line to it.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class TaskRunnerBaselineTests : IDisposable
{
    private readonly TempDirectory _workDir = new();
    private readonly GitRepo _repo = GitRepo.Create(
        new Dictionary<string, string> { ["old.sh"] = "#!/bin/sh\ncd /tmp\necho one\necho two\necho three\n" },
        new Dictionary<string, string?> { ["old.sh"] = null, ["new.sh"] = "#!/bin/sh\ncd /tmp\necho one\necho two\necho three\necho $1\n" });

    public void Dispose()
    {
        _workDir.Dispose();
        _repo.Dispose();
    }

    [Fact]
    public async Task ARenamedScript_IsLintedUnderItsOldPathOnTheBase_AndOnlyItsNewFindingIsNew()
    {
        var linter = new LinterSpec("shellcheck", ["shellcheck"], ["-f", "gcc", "{files}"], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1)) { Baseline = true };
        var source = new SourceSpec("acme/widgets", _repo.CloneUrl, _repo.HeadSha, "feature", _repo.BaseSha, "main", 7, null) { AllowLocal = true };
        using var runner = new TaskRunner(new TaskAssignment("task-b", "lease-1", 1, source, linter, TimeSpan.FromSeconds(10)), "node-1",
            new RepoCache(_workDir.Path, NullLogger<RepoCache>.Instance), new FakeAgentServer(), new TaskRunnerOptions(), TimeProvider.System, NullLogger<TaskRunner>.Instance);

        var result = await runner.RunAsync().Within();

        var old = Assert.Single(result.BaseFindings!);
        Assert.Equal(("old.sh", "SC2164", "cd /tmp"), (old.File, old.Rule, old.LineText));
        Assert.Contains(result.Findings, f => f is { File: "new.sh", Rule: "SC2086", LineText: "echo $1" });
        var split = Baseline.Split("shellcheck", result.Findings, result.BaseFindings!, ChangedLines.FromGitDiff(result.Diff!));
        Assert.Equal(1, split.Existing);
        Assert.Equal("SC2086", Assert.Single(split.New).Rule);
    }
}
