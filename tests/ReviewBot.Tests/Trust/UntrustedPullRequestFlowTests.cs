using System.Net;
using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitHub;
using ReviewBot.Tests.CodeHosts.GitHub.Reporting;
using static ReviewBot.Tests.CodeHosts.GitHub.Reporting.GitHubReportingHarness;

namespace ReviewBot.Tests.Trust;

/// <summary>
/// Untrusted pull requests end to end on real parts: Azurite, the app as a GitHub App against the fake GitHub (reached
/// through ReviewBot:GitHub:ApiUrl), and a real agent labelled for untrusted work running the real shellcheck. A fork's
/// pull request by a first-time contributor waits (check run action_required) until a member comments /ok-to-test.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class UntrustedPullRequestFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Config = """
        linters:
          shellcheck:
            languages: [".sh"]
            command: ["shellcheck"]
            args: ["-f", "gcc", "{files}"]
            format: gcc
            nodeLabels: "linux"
            timeout: 00:01:00
        repos:
          Codertocat:
            trust:
              nodeLabels: sandbox
              label: ok-to-test
        """;

    private const string TrustAfterFirst = Config + """

          Codertocat/Hello-World:
            trust: { untrusted: trust-after-first-approval }
        """;

    private GitRepo _repo = null!;
    private GitHubReportingHarness? _h;
    private AgentProcess? _agent;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(
            new Dictionary<string, string> { ["scripts/build.sh"] = "#!/bin/sh\necho \"building\"\n" },
            new Dictionary<string, string?>
            {
                ["scripts/build.sh"] = "#!/bin/sh\necho \"building\"\nrm -rf $1/out\ncp $2 /tmp\n",
                ["scripts/new.sh"] = "#!/bin/sh\nfor f in $(ls); do echo \"$f\"; done\n",
            });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        if (_h is not null) await _h.DisposeAsync();
        _repo.Dispose();
    }

    /// <param name="agent">Start a real agent labelled linux and sandbox (the only place untrusted work may go).</param>
    private async Task<GitHubReportingHarness> Start(string config = Config, bool agent = true)
    {
        _h = await GitHubReportingHarness.StartAsync(azurite, _repo, config, agent: false);
        if (agent)
        {
            _agent = AgentProcess.Start(_h.App.Url, "sandbox-box", ["linux", "sandbox"]);
            await _h.App.WaitForOnlineAsync(_agent, Timeouts.Long);
        }
        return _h;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Answer)> Send(GitHubReportingHarness h, string eventName, byte[] body)
    {
        var response = await h.App.PostDeliveryAsync(eventName, body);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    private static string[] Tasks(JsonElement answer) => [.. answer.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Delivers the fork's pull request (opened, or synchronize for a new push) and waits for its action_required report.</summary>
    private async Task<ReviewTask> DeliverWaitingAsync(GitHubReportingHarness h, string fixture = "pull_request.opened")
    {
        var (status, answer) = await Send(h, "pull_request", TrustDeliveries.ForkPullRequest(_repo, Repository, Number, fixture));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Contains("waiting for `/ok-to-test`", answer.GetProperty("message").GetString());
        var id = Assert.Single(Tasks(answer));
        return await h.App.WaitForTaskAsync(id, t => t.Reporting.Stage == ReportStage.ActionRequired, Timeouts.Long, "the action_required report");
    }

    private static FakeCheckRun Latest(GitHubReportingHarness h, string headSha) =>
        h.GitHub.CheckRuns(Owner, Name).Where(r => r.HeadSha == headSha).MaxBy(r => r.Id)!;

    [Fact]
    public async Task FirstTimeContributorsFork_WaitsWithActionRequired_ANonMembersOkToTestIsIgnored_AMembersRunsTheLinter()
    {
        var h = await Start();
        var waiting = await DeliverWaitingAsync(h);

        Assert.Equal((TaskState.Waiting, true), (waiting.State, waiting.Untrusted));
        Assert.DoesNotContain(waiting.History, e => e.State != TaskState.Waiting);
        var run = Assert.Single(h.GitHub.CheckRuns(Owner, Name));
        Assert.Equal(("shellcheck", _repo.HeadSha, "completed", "action_required", waiting.Id), (run.Name, run.HeadSha, run.Status, run.Conclusion, run.ExternalId));
        Assert.Equal("Waiting for approval", run.OutputTitle);
        Assert.Contains("waiting for `/ok-to-test` from a member or collaborator (or the label `ok-to-test` added by someone with write access): "
                        + "author newcomer is a first-time contributor from fork newcomer/Hello-World", run.OutputSummary);

        // The author (or anyone else without an association) cannot approve.
        var (status, answer) = await Send(h, "issue_comment", TrustDeliveries.Comment(Repository, Number, TrustDeliveries.Newcomer, "NONE", "/ok-to-test"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ignored", answer.GetProperty("status").GetString());
        Assert.Contains("newcomer is not associated with the repository (author_association NONE)", answer.GetProperty("message").GetString());
        Assert.Equal(TaskState.Waiting, (await h.TaskAsync(waiting.Id)).State);

        (status, answer) = await Send(h, "issue_comment", TrustDeliveries.Comment(Repository, Number, "octocat", "MEMBER", "Read it, harmless.\r\n/ok-to-test\r\n"));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal([waiting.Id], Tasks(answer));

        var done = await h.ReportedAsync(waiting.Id);
        Assert.Equal((TaskState.Failed, true, "sandbox-box"), (done.State, done.Untrusted, done.NodeName));
        Assert.Equal("(linux) && (sandbox)", done.NodeLabels);
        Assert.Contains(done.History, e => e.State == TaskState.Queued && e.Note == "approved by octocat (/ok-to-test)");
        var ran = Latest(h, _repo.HeadSha);
        Assert.Equal(("completed", "failure", 3), (ran.Status, ran.Conclusion, ran.Annotations.Count));
        Assert.Equal(2, h.GitHub.CheckRuns(Owner, Name).Count); // the action_required run stays as the record of the wait
        Assert.Equal(3, Assert.Single(h.GitHub.Reviews(Owner, Name, Number)).Comments.Count);
    }

    [Fact]
    public async Task NewPushByTheUntrustedAuthor_WaitsAgain_UnderApproveEveryPush()
    {
        var h = await Start();
        var first = await DeliverWaitingAsync(h);
        await Send(h, "issue_comment", TrustDeliveries.Comment(Repository, Number, "octocat", "COLLABORATOR", "/ok-to-test"));
        await h.ReportedAsync(first.Id);

        var head = _repo.Push(new Dictionary<string, string?> { ["scripts/new.sh"] = "#!/bin/sh\necho \"$1\"\n" });
        h.PullRequest.SetHead(head, _repo.Diff());
        var second = await DeliverWaitingAsync(h, "pull_request.synchronize");

        Assert.Equal((TaskState.Waiting, head), (second.State, second.HeadSha));
        var run = Latest(h, head);
        Assert.Equal(("completed", "action_required"), (run.Status, run.Conclusion));
        Assert.Contains("new commits by newcomer (a first-time contributor, fork newcomer/Hello-World) need approval again", run.OutputSummary);
        Assert.Contains("octocat approved an earlier push", run.OutputSummary);
    }

    [Fact]
    public async Task NewPushByTheUntrustedAuthor_Runs_UnderTrustAfterFirstApproval_StillUntrusted()
    {
        var h = await Start(TrustAfterFirst);
        var first = await DeliverWaitingAsync(h);
        await Send(h, "issue_comment", TrustDeliveries.Comment(Repository, Number, "octocat", "OWNER", "/ok-to-test"));
        await h.ReportedAsync(first.Id);

        var head = _repo.Push(new Dictionary<string, string?> { ["scripts/new.sh"] = "#!/bin/sh\necho \"$1\"\n" });
        h.PullRequest.SetHead(head, _repo.Diff());
        var (status, answer) = await Send(h, "pull_request", TrustDeliveries.ForkPullRequest(_repo, Repository, Number, "pull_request.synchronize"));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.DoesNotContain("waiting", answer.GetProperty("message").GetString());
        var second = await h.ReportedAsync(Assert.Single(Tasks(answer)));

        Assert.Equal((TaskState.Failed, true, "sandbox-box"), (second.State, second.Untrusted, second.NodeName));
        Assert.Contains("approved earlier by octocat", second.History[0].Note);
        Assert.DoesNotContain(h.GitHub.CheckRuns(Owner, Name), r => r.HeadSha == head && r.Conclusion == "action_required");
    }

    [Fact]
    public async Task ApprovalLabel_ApprovesWhenAWriterAddsIt_NotATriager_NorAnotherLabel()
    {
        var h = await Start(agent: false);
        h.GitHub.SetPermission(Owner, Name, "triager", "triage");
        h.GitHub.SetPermission(Owner, Name, "maintainer", "maintain");
        var waiting = await DeliverWaitingAsync(h);

        var (status, answer) = await Send(h, "pull_request", TrustDeliveries.Labeled(_repo, Repository, Number, "bug", "maintainer"));
        Assert.Equal((HttpStatusCode.OK, "ignored"), (status, answer.GetProperty("status").GetString()));
        Assert.Contains("the approval label is 'ok-to-test'", answer.GetProperty("message").GetString());

        (status, answer) = await Send(h, "pull_request", TrustDeliveries.Labeled(_repo, Repository, Number, "ok-to-test", "triager"));
        Assert.Equal((HttpStatusCode.OK, "ignored"), (status, answer.GetProperty("status").GetString()));
        Assert.Contains("triager's permission on Codertocat/Hello-World is 'read'", answer.GetProperty("message").GetString());
        Assert.Equal(TaskState.Waiting, (await h.TaskAsync(waiting.Id)).State);

        (status, answer) = await Send(h, "pull_request", TrustDeliveries.Labeled(_repo, Repository, Number, "OK-to-test", "maintainer"));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal([waiting.Id], Tasks(answer));
        var queued = await h.TaskAsync(waiting.Id);
        Assert.Equal((TaskState.Queued, true), (queued.State, queued.Untrusted));
        Assert.Equal("approved by maintainer (label ok-to-test)", queued.History[^1].Note);
        Assert.Contains(h.GitHub.Requests, r => r.Method == "GET" && r.Path.EndsWith("/collaborators/maintainer/permission", StringComparison.Ordinal));
    }
}
