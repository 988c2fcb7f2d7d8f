using System.Net;
using System.Text.Json;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.CodeHosts.GitHub.Reporting;
using ReviewBot.Tests.Tasks;
using static ReviewBot.Tests.CodeHosts.GitHub.Reporting.GitHubReportingHarness;

namespace ReviewBot.Tests.Trust;

/// <summary>
/// What an agent receives for an untrusted pull request, seen from the agent's side of the protocol (a real SignalR
/// client playing the agent): no clone token, no job, and only agents matching the trust policy's nodeLabels, while a
/// trusted pull request of the same repository, cloned over https from the GitHub host, gets the installation token.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class UntrustedAssignmentTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Config = """
        linters:
          lint:
            command: ["true"]
            nodeLabels: linux
        trust:
          nodeLabels: sandbox
        """;

    private const int Trusted = 3;
    private readonly List<IAsyncDisposable> _owned = [];
    private GitRepo _repo = null!;
    private GitHubReportingHarness _h = null!;

    public async Task InitializeAsync()
    {
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
        _h = await GitHubReportingHarness.StartAsync(azurite, _repo, Config, agent: false);
        _h.GitHub.AddPullRequest(Owner, Name, Trusted, _repo.BaseSha, _repo.HeadSha, _repo.Diff());
    }

    public async Task DisposeAsync()
    {
        foreach (var o in _owned) await o.DisposeAsync();
        await _h.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<ContractClient> Agent(string node, params string[] labels)
    {
        var c = await ContractClient.ConnectAsync(_h.App, node, labels);
        _owned.Add(c);
        return c;
    }

    private async Task<string> Deliver(string eventName, byte[] body, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        var response = await _h.App.PostDeliveryAsync(eventName, body);
        Assert.Equal(expected, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks")[0].GetString()!;
    }

    [Fact]
    public async Task ApprovedForkGetsNoTokenAndNoJob_AndGoesOnlyToTheSandbox_WhileTheRepositorysOwnBranchGetsTheToken()
    {
        var plain = await Agent("plain-box", "linux");
        var sandbox = await Agent("sandbox-box", "linux", "sandbox");
        var https = $"https://{_h.GitHub.ApiUrl.Host}/{Repository}.git"; // the GitHub host: trusted work gets a token for it

        // A branch of the repository itself: trusted, whoever opened it. Best fit is the agent without the extra label.
        var trustedId = await Deliver("pull_request", TrustDeliveries.BranchPullRequest(_repo, Repository, Trusted, https));
        var trusted = await plain.NextAssignmentAsync();
        Assert.Equal(trustedId, trusted.TaskId);
        Assert.False(string.IsNullOrEmpty(trusted.Source.Token));
        Assert.True((await plain.AcceptAsync(trusted)).Accepted);
        Assert.True((await plain.CompleteAsync(new TaskResult("plain-box", trusted.TaskId, trusted.LeaseToken, TaskOutcome.Succeeded, 0, [], [], [], null, TimeSpan.FromSeconds(1)))).Accepted);

        // A newcomer's fork: waits, then a member approves; both agents are free, only the sandbox may take it.
        var forkId = await Deliver("pull_request", TrustDeliveries.ForkPullRequest(_repo, Repository, Number, cloneUrl: https));
        Assert.Equal(TaskState.Waiting, (await _h.TaskAsync(forkId)).State);
        await Deliver("issue_comment", TrustDeliveries.Comment(Repository, Number, "octocat", "MEMBER", "/ok-to-test"));
        var untrusted = await sandbox.NextAssignmentAsync();

        Assert.Equal(forkId, untrusted.TaskId);
        Assert.Equal(https, untrusted.Source.CloneUrl);
        Assert.Null(untrusted.Source.Token);
        Assert.Null(untrusted.Job);
        var stored = await _h.TaskAsync(forkId);
        Assert.Equal(("sandbox-box", "(linux) && (sandbox)", true), (stored.NodeName, stored.NodeLabels, stored.Untrusted));
    }

    [Fact]
    public async Task ReRequestedCheckRunOfAWaitingTask_RunsNothing()
    {
        var forkId = await Deliver("pull_request", TrustDeliveries.ForkPullRequest(_repo, Repository, Number));
        var payload = Deliveries.Load("check_run.rerequested");
        payload["repository"]!["full_name"] = Repository;
        payload["check_run"]!["head_sha"] = _repo.HeadSha;
        payload["check_run"]!["name"] = "lint";
        payload["check_run"]!["external_id"] = forkId;

        var response = await _h.App.PostDeliveryAsync("check_run", System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString()));

        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((HttpStatusCode.OK, "ignored", 0), (response.StatusCode, answer.GetProperty("status").GetString(), answer.GetProperty("tasks").GetArrayLength()));
        var tasks = await _h.App.Tasks.ListAllAsync(new ReviewBot.Functions.Tasks.TaskListQuery(Repository: Repository));
        Assert.Equal([forkId], tasks.Select(t => t.Id));
        Assert.Equal(TaskState.Waiting, tasks[0].State);
    }

    [Fact]
    public async Task RerunViaTheApiOfAWaitingTask_IsRefused_AndMakesNoTask()
    {
        var forkId = await Deliver("pull_request", TrustDeliveries.ForkPullRequest(_repo, Repository, Number));

        var response = await _h.App.Http.PostAsync($"/api/tasks/{forkId}/rerun", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("approval", await response.Content.ReadAsStringAsync());
        var tasks = await _h.App.Tasks.ListAllAsync(new ReviewBot.Functions.Tasks.TaskListQuery(Repository: Repository));
        Assert.Equal([forkId], tasks.Select(t => t.Id));
    }
}
