using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Ingest;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Jobs.Scheduling;
using ReviewBot.Tests.Tasks;

namespace ReviewBot.Tests.CodeHosts.GitHub.Webhooks;

/// <summary>Event triggers from the fixture payloads: pr-merged, tag-created (create and release, one task per tag)
/// and push, with matching and non-matching branches and tags.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobTriggerWebhookTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Hello = "Codertocat/Hello-World";
    private const string MergedRepo = "ailisp/gcbapp-buildconfig-example"; // pull_request.closed.merged.json
    private readonly InMemoryJobCatalog _catalog = new();
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await SchedulerRig.StartAppAsync(azurite, _catalog);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private void Job(string name, string repo, JobTrigger trigger, bool enabled = true) => _catalog.Set(new JobDefinition
    {
        Name = name,
        Repository = repo,
        Trigger = trigger,
        Steps = [new ReviewBot.Contracts.Agents.JobStep("run", "echo run")],
        Enabled = enabled,
    });

    private async Task<(HttpStatusCode Status, string Answer, List<string> Tasks)> Post(string eventName, JsonNode body, string? deliveryId = null)
    {
        var response = await _app.PostDeliveryAsync(eventName, Encoding.UTF8.GetBytes(body.ToJsonString()), deliveryId);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, answer.GetProperty("status").GetString()!, [.. answer.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!)]);
    }

    private async Task<IReadOnlyList<ReviewTask>> AllTasks() => await _app.Tasks.ListAllAsync();

    [Fact]
    public async Task AMergedPullRequest_FiresThePrMergedJobsWhoseBranchRegexesMatch_OnTheMergeCommit()
    {
        Job("deploy", MergedRepo, new JobTrigger(JobTriggerKind.PrMerged, SourceBranch: @".*-patch-\d+", TargetBranch: "master|main"));
        Job("any-merge", MergedRepo.ToUpperInvariant(), new JobTrigger(JobTriggerKind.PrMerged));
        Job("release-only", MergedRepo, new JobTrigger(JobTriggerKind.PrMerged, TargetBranch: "release/.*"));
        Job("patch-prefix", MergedRepo, new JobTrigger(JobTriggerKind.PrMerged, SourceBranch: "patch-1")); // whole name only
        Job("other-repo", Hello, new JobTrigger(JobTriggerKind.PrMerged));
        Job("disabled", MergedRepo, new JobTrigger(JobTriggerKind.PrMerged), enabled: false);
        Job("push-job", MergedRepo, new JobTrigger(JobTriggerKind.Push));

        var (status, answer, ids) = await Post("pull_request", Deliveries.Load("pull_request.closed.merged"));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("accepted", answer);
        var tasks = await AllTasks();
        Assert.Equal(ids.Order(), tasks.Select(t => t.Id).Order());
        Assert.Equal(["any-merge", "deploy"], tasks.Select(t => t.JobName!).Order());
        Assert.All(tasks, t =>
        {
            Assert.Equal("a21683865c088b5fe1906cf6552d15a285a4986d", t.HeadSha);
            Assert.Equal("master", t.HeadRef);
            Assert.Null(t.PullRequest); // a job run, not a review: no lint task, nothing reported on the PR
            Assert.Contains("pull_request merged", t.Trigger);
        });
    }

    [Fact]
    public async Task AMergedPullRequest_RedeliveredUnderAnotherId_CreatesNoSecondTask()
    {
        Job("deploy", MergedRepo, new JobTrigger(JobTriggerKind.PrMerged));

        var first = await Post("pull_request", Deliveries.Load("pull_request.closed.merged"));
        var second = await Post("pull_request", Deliveries.Load("pull_request.closed.merged"));

        Assert.Equal(first.Tasks, second.Tasks);
        Assert.Single(await AllTasks());
    }

    [Fact]
    public async Task AMergeIntoANonMatchingBranch_OrAClosedUnmergedPullRequest_IsIgnored()
    {
        Job("deploy", MergedRepo, new JobTrigger(JobTriggerKind.PrMerged, TargetBranch: "main"));
        var unmerged = Deliveries.Load("pull_request.closed.merged");
        unmerged["pull_request"]!["merged"] = false;

        var nonMatching = await Post("pull_request", Deliveries.Load("pull_request.closed.merged")); // base is master
        var closed = await Post("pull_request", unmerged);

        Assert.Equal((HttpStatusCode.OK, "ignored"), (nonMatching.Status, nonMatching.Answer));
        Assert.Equal((HttpStatusCode.OK, "ignored"), (closed.Status, closed.Answer));
        Assert.Empty(await AllTasks());
    }

    [Fact]
    public async Task ATag_FiresTheTagCreatedJobsWhoseGlobOrRegexMatches()
    {
        Job("simple", Hello, new JobTrigger(JobTriggerKind.TagCreated, Tag: "simple-*"));
        Job("semver", Hello, new JobTrigger(JobTriggerKind.TagCreated, Tag: @"/\d+\.\d+\.\d+/"));
        Job("v-tags", Hello, new JobTrigger(JobTriggerKind.TagCreated, Tag: "v*"));

        var create = await Post("create", Deliveries.Load("create"));            // tag simple-tag
        var release = await Post("release", Deliveries.Load("release.published")); // tag 0.0.1

        Assert.Equal(HttpStatusCode.Accepted, create.Status);
        Assert.Equal(HttpStatusCode.Accepted, release.Status);
        var tasks = (await AllTasks()).ToDictionary(t => t.Id);
        Assert.Equal("simple", tasks[create.Tasks.Single()].JobName);
        Assert.Equal("simple-tag", tasks[create.Tasks.Single()].HeadRef);
        Assert.Equal("semver", tasks[release.Tasks.Single()].JobName);
        Assert.Equal("0.0.1", tasks[release.Tasks.Single()].HeadRef);
        Assert.Equal(2, tasks.Count);
    }

    [Fact]
    public async Task TheSameTag_SeenThroughCreateAndRelease_FiresOnce()
    {
        Job("semver", Hello, new JobTrigger(JobTriggerKind.TagCreated, Tag: @"/\d+\.\d+\.\d+/"));
        var create = Deliveries.Load("create");
        create["ref"] = "0.0.1";

        var first = await Post("create", create);
        var second = await Post("release", Deliveries.Load("release.published"));

        Assert.Equal(first.Tasks, second.Tasks);
        Assert.Single(await AllTasks());
    }

    [Fact]
    public async Task ANonMatchingTag_ANewBranch_OrADraftRelease_IsIgnored()
    {
        Job("v-tags", Hello, new JobTrigger(JobTriggerKind.TagCreated, Tag: "v*"));
        var branch = Deliveries.Load("create");
        branch["ref_type"] = "branch";
        branch["ref"] = "v-branch";
        var draft = Deliveries.Load("release.published");
        draft["action"] = "created";
        draft["release"]!["tag_name"] = "v2.0.0";

        foreach (var (name, body) in new[] { ("create", Deliveries.Load("create")), ("create", branch), ("release", draft) })
        {
            var (status, answer, _) = await Post(name, body);
            Assert.Equal((HttpStatusCode.OK, "ignored"), (status, answer));
        }
        Assert.Empty(await AllTasks());
    }

    [Fact]
    public async Task APushToAMatchingBranch_FiresPushJobsOnTheNewHead_AndADeletedTagIsIgnored()
    {
        Job("ci", Hello, new JobTrigger(JobTriggerKind.Push, Branch: "master|main"));
        Job("release", Hello, new JobTrigger(JobTriggerKind.Push, Branch: "release/.*"));
        var delivery = Guid.NewGuid().ToString();

        var push = await Post("push", Deliveries.Load("push.with-new-branch"), delivery); // refs/heads/master
        var deletedTag = await Post("push", Deliveries.Load("push"));                     // refs/tags/simple-tag, deleted

        Assert.Equal(HttpStatusCode.Accepted, push.Status);
        var task = Assert.Single(await AllTasks());
        Assert.Equal(push.Tasks.Single(), task.Id);
        Assert.Equal(TaskIds.ForJob("ci", delivery), task.Id);
        Assert.Equal("master", task.HeadRef);
        Assert.Equal("6113728f27ae82c7b1a177c8d03f9e96e0adf246", task.HeadSha);
        Assert.Equal((HttpStatusCode.OK, "ignored"), (deletedTag.Status, deletedTag.Answer));
        Assert.True(await _app.Services.GetRequiredService<DeliveryStore>().ExistsAsync("github", delivery, CancellationToken.None));
    }
}
