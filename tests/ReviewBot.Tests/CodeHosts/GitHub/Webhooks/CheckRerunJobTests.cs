using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Jobs.Scheduling;
using ReviewBot.Tests.Tasks;

namespace ReviewBot.Tests.CodeHosts.GitHub.Webhooks;

/// <summary>Security review D7: GitHub's "Re-run" re-runs linters only. Whoever may re-run checks on a commit must not
/// be able to start a job (a deploy, with its secrets) again through <c>check_suite</c> or <c>check_run</c>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CheckRerunJobTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Hello = "Codertocat/Hello-World";
    private const string PushedSha = "6113728f27ae82c7b1a177c8d03f9e96e0adf246"; // push.with-new-branch: refs/heads/master
    private readonly InMemoryJobCatalog _catalog = new();
    private TestApp _app = null!;
    private GitRepo _repo = null!;

    public async Task InitializeAsync()
    {
        _app = await SchedulerRig.StartAppAsync(azurite, _catalog);
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo ok\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
        _catalog.Set(new JobDefinition
        {
            Name = "deployjob",
            Repository = Hello,
            Trigger = new JobTrigger(JobTriggerKind.Push, Branch: "master"),
            Steps = [new ReviewBot.Contracts.Agents.JobStep("deploy", "echo deploy")],
            Secrets = new Dictionary<string, string> { ["DEPLOY_TOKEN"] = "s3cr3t" },
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<(HttpStatusCode Status, string Answer, string Message, List<string> Tasks)> Post(string eventName, JsonNode body)
    {
        var response = await _app.PostDeliveryAsync(eventName, Encoding.UTF8.GetBytes(body.ToJsonString()));
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, answer.GetProperty("status").GetString()!, answer.GetProperty("message").GetString()!,
            [.. answer.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!)]);
    }

    private async Task<string> JobTaskOnThePushedCommitAsync()
    {
        var push = await Post("push", Deliveries.Load("push.with-new-branch"));
        Assert.Equal(HttpStatusCode.Accepted, push.Status);
        return push.Tasks.Single();
    }

    private static JsonNode CheckSuite(string sha)
    {
        var json = Deliveries.Load("check_suite.rerequested");
        json["repository"]!["full_name"] = Hello;
        json["check_suite"]!["head_sha"] = sha;
        return json;
    }

    private async Task<IReadOnlyList<ReviewTask>> JobTasks() =>
        (await _app.Tasks.ListAllAsync()).Where(t => t.JobName is not null).ToList();

    [Fact]
    public async Task CheckSuiteRerequested_OnACommitWhereOnlyAJobRan_IsIgnoredAndRunsNoJob()
    {
        await JobTaskOnThePushedCommitAsync();

        var (status, answer, message, tasks) = await Post("check_suite", CheckSuite(PushedSha));

        Assert.Equal((HttpStatusCode.OK, "ignored"), (status, answer));
        Assert.Empty(tasks);
        Assert.Contains("linters only", message);
        Assert.Single(await JobTasks());
    }

    [Fact]
    public async Task CheckRunRerequested_NamingAJobTask_IsIgnoredAndRunsNoJob()
    {
        var job = await JobTaskOnThePushedCommitAsync();
        var json = Deliveries.Load("check_run.rerequested");
        json["repository"]!["full_name"] = Hello;
        json["check_run"]!["head_sha"] = PushedSha;
        json["check_run"]!["name"] = "deployjob";
        json["check_run"]!["external_id"] = job;

        var (status, answer, message, tasks) = await Post("check_run", json);

        Assert.Equal((HttpStatusCode.OK, "ignored"), (status, answer));
        Assert.Empty(tasks);
        Assert.Contains("job", message);
        Assert.Contains("linters only", message);
        Assert.Single(await JobTasks());
    }

    [Fact]
    public async Task CheckSuiteRerequested_WhereLintersAndAJobRan_RerunsTheLintersOnly()
    {
        await JobTaskOnThePushedCommitAsync();
        var pr = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo, repository: Hello, headSha: PushedSha));
        Assert.Equal(HttpStatusCode.Accepted, pr.StatusCode);

        var (status, answer, _, tasks) = await Post("check_suite", CheckSuite(PushedSha));

        Assert.Equal((HttpStatusCode.Accepted, "accepted"), (status, answer));
        Assert.Equal(2, tasks.Count);
        foreach (var id in tasks)
        {
            var rerun = (await _app.Tasks.GetAsync(id, CancellationToken.None))!;
            Assert.Null(rerun.Job);
            Assert.Contains(rerun.Linter.Name, new[] { "shellcheck", "todo-check" });
        }
        Assert.Single(await JobTasks());
    }
}
