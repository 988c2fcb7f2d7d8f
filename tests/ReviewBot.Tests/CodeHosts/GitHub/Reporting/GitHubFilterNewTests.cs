using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Tests.Infrastructure;
using static ReviewBot.Tests.CodeHosts.GitHub.Reporting.GitHubReportingHarness;

namespace ReviewBot.Tests.CodeHosts.GitHub.Reporting;

/// <summary><c>filter: new</c> end to end: a real agent runs real shellcheck on the head and on the merge base of a real
/// git repository (a local bare repo), the server keeps the findings the base did not have and reports them on the
/// fake GitHub. The base has an old warning (SC2164) that moves down two lines in the pull request; the pull request
/// adds a new note (SC2086).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitHubFilterNewTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Config = """
        linters:
          shellcheck:
            languages: [".sh"]
            command: ["shellcheck"]
            args: ["-f", "gcc", "{files}"]
            format: gcc
            filter: new
            failOn: warning
            nodeLabels: "linux"
            timeout: 00:01:00
        """;

    private GitRepo _repo = null!;
    private GitHubReportingHarness? _h;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(
            new Dictionary<string, string> { ["scripts/a.sh"] = "#!/bin/sh\ncd /tmp\n" },
            new Dictionary<string, string?> { ["scripts/a.sh"] = "#!/bin/sh\nset -u\necho start\ncd /tmp\necho $1\n" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task OnlyTheNewFindingIsReported_TheOldOneIsCountedAsLeftOut_FailOnSeesOnlyNewOnes_AndTheNextPushReusesTheCachedBase()
    {
        _h = await GitHubReportingHarness.StartAsync(azurite, _repo, Config);
        var first = (await _h.DeliverAsync()).Single();
        await _h.ReportedAsync(first);

        var run = Assert.Single(_h.GitHub.CheckRuns(Owner, Name));
        // The old SC2164 warning would fail the check under failOn: warning; only the new note counts: neutral.
        Assert.Equal(("completed", "neutral"), (run.Status, run.Conclusion));
        var annotation = Assert.Single(run.Annotations);
        Assert.Equal(("scripts/a.sh", 5, "SC2086"), (annotation.Path, annotation.StartLine, annotation.Title));
        Assert.Contains("1 existing finding left out", run.OutputSummary);
        var review = Assert.Single(_h.GitHub.Reviews(Owner, Name, Number));
        Assert.Equal(["scripts/a.sh:5"], review.Comments.Select(c => $"{c.Path}:{c.Line}"));
        Assert.Contains("baseline: running shellcheck on the merge base", await LogAsync(first));

        // Same base, same file: the agent reads the base's findings from its cache instead of linting the base again.
        var second = (await _h.PushAsync(new Dictionary<string, string?> { ["scripts/a.sh"] = "#!/bin/sh\nset -u\necho start\ncd /tmp\necho $1\necho end\n" })).Single();
        await _h.ReportedAsync(second);

        var log = await LogAsync(second);
        Assert.Contains($"baseline: 1 finding(s) of shellcheck on the merge base {_repo.BaseSha} from the agent's cache", log);
        Assert.DoesNotContain("baseline: running", log);
        var again = _h.GitHub.CheckRuns(Owner, Name).Single(r => r.HeadSha == _repo.HeadSha);
        Assert.Equal("neutral", again.Conclusion);
        Assert.Contains("1 existing finding left out", again.OutputSummary);
    }

    [Fact]
    public async Task AnAgentThatIgnoresTheBaseline_GetsEveryFindingReported_AndTheSummarySaysTheBaselineWasNotAvailable()
    {
        _h = await GitHubReportingHarness.StartAsync(azurite, _repo, Config, agent: false);
        await using var old = await ContractClient.ConnectAsync(_h.App, "old-agent", "linux");
        var id = (await _h.DeliverAsync()).Single();

        var a = await old.NextAssignmentAsync();
        Assert.True(a.Linter.Baseline);
        Assert.True((await old.AcceptAsync(a)).Accepted);
        // What an agent from before filter: new sends: the head's findings only.
        Finding[] findings =
        [
            new("scripts/a.sh", 4, 1, null, Severity.Warning, "SC2164", "Use 'cd ... || exit' or 'cd ... || return' in case cd fails."),
            new("scripts/a.sh", 5, 6, null, Severity.Info, "SC2086", "Double quote to prevent globbing and word splitting."),
        ];
        Assert.True((await old.CompleteAsync(new TaskResult(old.NodeId, a.TaskId, a.LeaseToken, TaskOutcome.Failed, 1, findings, [], ["scripts/a.sh"], null, TimeSpan.FromSeconds(1))
        {
            Diff = _repo.Diff(),
        })).Accepted);
        await _h.ReportedAsync(id);

        var run = Assert.Single(_h.GitHub.CheckRuns(Owner, Name));
        Assert.Equal("failure", run.Conclusion);
        Assert.Equal(2, run.Annotations.Count);
        Assert.Contains("The baseline was not available", run.OutputSummary);
        Assert.DoesNotContain("existing finding", run.OutputSummary);
    }

    private Task<string> LogAsync(string id) => _h!.App.Http.GetStringAsync($"/api/tasks/{id}/log");
}
