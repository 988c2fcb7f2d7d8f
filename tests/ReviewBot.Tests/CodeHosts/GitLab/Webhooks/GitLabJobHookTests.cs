using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Tasks;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.CodeHosts.GitLab.Webhooks;

/// <summary>
/// GitLab hooks starting jobs, on the app with Azurite and the fake GitLab as <c>ReviewBot:GitLab:Url</c>: a merged
/// merge request fires the server's prMerged jobs whose patterns match, a tag push tagCreated (a deletion nothing), a
/// push to the default branch the jobs of the project's <c>.reviewbot.yml</c> read through GitLab's files API where
/// the server allows repository commands; runs are GitLab tasks cloning from the project with GitLab's token; a
/// redelivery fires nothing twice; a malformed hook is a 400 naming the field, nothing fired.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitLabJobHookTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const long Project = 42;
    private const string Path = "group/project";
    private const string CloneUrl = "https://127.0.0.1/group/project.git"; // on the fake GitLab's host: read through its API
    private const string MergeSha = "a21683865c088b5fe1906cf6552d15a285a4986d";
    private const string TagSha = "82b3d5ae55f7080f1e6022629cdb57bfae7cccc7";
    private const string PushSha = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7";

    private static string Server(bool allowRepoCommands) => $$"""
        linters:
          lint: { command: ["true"] }
        repos:
          group: { allowRepoCommands: {{(allowRepoCommands ? "true" : "false")}} }
        jobs:
          docs:
            trigger: { prMerged: { source: "^feature$", target: "^main$" } }
            repository: {{Path}}
            steps: ["echo docs"]
          release-branches:
            trigger: { prMerged: { target: "^release/.*$" } }
            repository: {{Path}}
            steps: ["echo release-branches"]
          release:
            trigger: { tagCreated: "v*" }
            repository: {{Path}}
            steps: ["echo release"]
          hotfix:
            trigger: { prMerged: { target: "^hotfix$" } }
            repository: {{Path}}
            steps: ["exit 1"]
            retries: 1
          other-project:
            trigger: { prMerged: {} }
            repository: group/other
            steps: ["echo other"]
        """;

    private const string RepositoryFile = """
        jobs:
          on-main:
            trigger: { push: "^main$" }
            steps: ["echo on-main"]
        """;

    private FakeGitLabServer _gitlab = null!;
    private readonly List<IAsyncDisposable> _owned = [];

    public async Task InitializeAsync() => _gitlab = await FakeGitLabServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        await _gitlab.DisposeAsync();
    }

    private async Task<TestApp> App(bool allowRepoCommands = true)
    {
        var app = await TestApp.StartAsync(azurite, Server(allowRepoCommands), GitLabDeliveries.Settings(_gitlab.Url, FakeGitLabServer.Token));
        _owned.Add(app);
        return app;
    }

    private static void OnProject(JsonNode json)
    {
        json["project"]!["id"] = Project;
        json["project"]!["path_with_namespace"] = Path;
        json["project"]!["git_http_url"] = CloneUrl;
        json["project"]!["default_branch"] = "main";
    }

    /// <summary>A merge request hook: !5 from "feature" into <paramref name="target"/>, merged as <see cref="MergeSha"/>.</summary>
    private static JsonNode Merged(string target = "main")
    {
        var json = GitLabDeliveries.Load("merge_request.open.go-gitlab");
        OnProject(json);
        var a = json["object_attributes"]!;
        a["iid"] = 5;
        a["action"] = "merge";
        a["state"] = "merged";
        a["source_branch"] = "feature";
        a["target_branch"] = target;
        a["merge_commit_sha"] = MergeSha;
        return json;
    }

    /// <summary>go-gitlab's tag push of v1.0.0, or its deletion.</summary>
    private static JsonNode TagPush(bool deleted = false)
    {
        var json = GitLabDeliveries.Load("tag_push.go-gitlab");
        OnProject(json);
        if (deleted)
        {
            json["before"] = TagSha;
            json["after"] = new string('0', 40);
            json["checkout_sha"] = null;
        }
        return json;
    }

    /// <summary>go-gitlab's push, to <paramref name="branch"/> at <paramref name="after"/>.</summary>
    private static JsonNode Push(string branch = "main", string after = PushSha)
    {
        var json = GitLabDeliveries.Load("push.go-gitlab");
        OnProject(json);
        json["ref"] = "refs/heads/" + branch;
        json["after"] = after;
        json["checkout_sha"] = after;
        return json;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Answer)> Post(TestApp app, string eventName, JsonNode body, string? uuid = null)
    {
        var response = await GitLabDeliveries.PostAsync(app, Encoding.UTF8.GetBytes(body.ToJsonString()), eventName, uuid);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    private static List<string> Tasks(JsonElement answer) => [.. answer.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task AMergedMergeRequest_FiresTheServersPrMergedJobWhosePatternsMatch_AsAGitLabTaskOnTheMergeCommit()
    {
        var app = await App();

        var (status, answer) = await Post(app, "Merge Request Hook", Merged());

        Assert.Equal(HttpStatusCode.Accepted, status);
        var task = Assert.Single(await app.Tasks.ListAllAsync()); // not release-branches (target), not other-project
        Assert.Equal(Tasks(answer).Single(), task.Id);
        Assert.Equal(("docs", MergeSha, "main"), (task.JobName, task.HeadSha, task.HeadRef));
        Assert.Equal((CodeHostNames.GitLab, CloneUrl, (long?)Project), (task.Host, task.CloneUrl, task.ProjectId));
        Assert.False(task.AllowLocal, "a clone URL from a webhook gets only the fetch protocols its host's check allowed");
        Assert.Contains("gitlab merge_request merged group/project!5 feature → main", task.Trigger);
        // The dispatcher asks the resolver of the task's host, GitLab's, as for merge request tasks: it gives the token to
        // this clone URL on an https instance of that host (the fake serves plain http on a port of its own, so the
        // app's own options hand no token here).
        Assert.IsType<GitLabCloneCredentials>(app.Services.GetServices<ISourceResolver>().Single(r => r.Host == task.Host));
        ISourceResolver onHttps = new GitLabCloneCredentials(Options.Create(new GitLabOptions { Url = new("https://127.0.0.1"), Token = "glpat-x" }));
        Assert.Equal("glpat-x", await onHttps.TokenForAsync(task, CancellationToken.None));
    }

    [Fact]
    public async Task ARetryOfAFailedRun_IsAGitLabTaskOnTheSameProjectAndCommit()
    {
        var app = await App();
        var agent = await ContractClient.ConnectAsync(app, "node-gitlab-retry", "linux");
        _owned.Add(agent);

        var (status, answer) = await Post(app, "Merge Request Hook", Merged(target: "hotfix"));
        Assert.Equal(HttpStatusCode.Accepted, status);
        var first = await agent.NextAssignmentAsync();
        Assert.Equal(Tasks(answer).Single(), first.TaskId);
        Assert.True((await agent.AcceptAsync(first)).Accepted);
        Assert.True((await agent.CompleteAsync(new TaskResult(agent.NodeId, first.TaskId, first.LeaseToken, TaskOutcome.Failed, 1, [], [], [], "step exited 1", TimeSpan.FromSeconds(1)))).Accepted);

        var retry = await agent.NextAssignmentAsync();

        var task = (await app.Tasks.GetAsync(retry.TaskId, CancellationToken.None))!;
        Assert.Equal(("hotfix", 1, MergeSha, "hotfix"), (task.JobName, task.JobAttempt, task.HeadSha, task.HeadRef));
        Assert.Equal((CodeHostNames.GitLab, CloneUrl, (long?)Project), (task.Host, task.CloneUrl, task.ProjectId));
        Assert.Equal(CloneUrl, retry.Source.CloneUrl);
        Assert.False(task.AllowLocal);
    }

    [Fact]
    public async Task AMergeIntoABranchNoJobMatches_IsIgnored()
    {
        var app = await App();

        var (status, answer) = await Post(app, "Merge Request Hook", Merged(target: "develop"));

        Assert.Equal((HttpStatusCode.OK, "ignored"), (status, answer.GetProperty("status").GetString()));
        Assert.Empty(await app.Tasks.ListAllAsync());
    }

    [Fact]
    public async Task ATagPush_FiresTheTagCreatedJob_ATagDeletionFiresNothing()
    {
        var app = await App();

        var created = await Post(app, "Tag Push Hook", TagPush());
        var deleted = await Post(app, "Tag Push Hook", TagPush(deleted: true));

        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        var task = Assert.Single(await app.Tasks.ListAllAsync());
        Assert.Equal(Tasks(created.Answer).Single(), task.Id);
        Assert.Equal(("release", "v1.0.0", TagSha, CodeHostNames.GitLab), (task.JobName, task.HeadRef, task.HeadSha, task.Host));
        Assert.Equal((HttpStatusCode.OK, "ignored"), (deleted.Status, deleted.Answer.GetProperty("status").GetString()));
        Assert.Contains("deleting v1.0.0", deleted.Answer.GetProperty("message").GetString());
    }

    [Fact]
    public async Task APushToTheDefaultBranch_FiresAJobOfTheProjectsFile_ReadThroughGitLabAtThePushedCommit()
    {
        _gitlab.SetFile(Project, PushSha, ".reviewbot.yml", RepositoryFile);
        var app = await App(allowRepoCommands: true);

        var (status, answer) = await Post(app, "Push Hook", Push());

        Assert.Equal(HttpStatusCode.Accepted, status);
        var task = Assert.Single(await app.Tasks.ListAllAsync());
        Assert.Equal(Tasks(answer).Single(), task.Id);
        Assert.Equal(("on-main", "main", PushSha, CloneUrl), (task.JobName, task.HeadRef, task.HeadSha, task.CloneUrl));
        Assert.Equal(CodeHostNames.GitLab, task.Host);
        Assert.Contains(_gitlab.Requests, r => r.PathAndQuery == $"/api/v4/projects/{Project}/repository/files/.reviewbot.yml/raw?ref={PushSha}");
    }

    [Fact]
    public async Task WhereTheServerDoesNotAllowRepositoryCommands_APushFiresNoJobOfTheProjectsFile_NorReadsIt()
    {
        _gitlab.SetFile(Project, PushSha, ".reviewbot.yml", RepositoryFile);
        var app = await App(allowRepoCommands: false);

        var (status, answer) = await Post(app, "Push Hook", Push());

        Assert.Equal((HttpStatusCode.OK, "ignored"), (status, answer.GetProperty("status").GetString()));
        Assert.Empty(await app.Tasks.ListAllAsync());
        // The file could define no job there: it is not even read.
        Assert.DoesNotContain(_gitlab.Requests, r => r.PathAndQuery.Contains("/repository/files/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABranchDeletion_OrAPushNoJobMatches_FiresNothing()
    {
        _gitlab.SetFile(Project, PushSha, ".reviewbot.yml", RepositoryFile);
        var app = await App();

        var deleted = await Post(app, "Push Hook", Push(after: new string('0', 40)));
        var otherBranch = await Post(app, "Push Hook", Push(branch: "feature"));

        Assert.Equal((HttpStatusCode.OK, "ignored"), (deleted.Status, deleted.Answer.GetProperty("status").GetString()));
        Assert.Equal((HttpStatusCode.OK, "ignored"), (otherBranch.Status, otherBranch.Answer.GetProperty("status").GetString()));
        Assert.Empty(await app.Tasks.ListAllAsync());
    }

    [Fact]
    public async Task ARedeliveredHook_UnderTheSameOrAnotherId_FiresNothingTwice()
    {
        _gitlab.SetFile(Project, PushSha, ".reviewbot.yml", RepositoryFile);
        var app = await App();
        var uuid = Guid.NewGuid().ToString();

        var merged = await Post(app, "Merge Request Hook", Merged(), uuid);
        var sameId = await Post(app, "Merge Request Hook", Merged(), uuid);
        var otherId = await Post(app, "Merge Request Hook", Merged());
        var tag = await Post(app, "Tag Push Hook", TagPush());
        var tagAgain = await Post(app, "Tag Push Hook", TagPush());
        var push = await Post(app, "Push Hook", Push());
        var pushAgain = await Post(app, "Push Hook", Push());

        Assert.Equal("duplicate", sameId.Answer.GetProperty("status").GetString());
        Assert.Equal(Tasks(merged.Answer), Tasks(otherId.Answer));
        Assert.Equal(Tasks(tag.Answer), Tasks(tagAgain.Answer));
        Assert.Equal(Tasks(push.Answer), Tasks(pushAgain.Answer));
        Assert.Equal(["docs", "on-main", "release"], (await app.Tasks.ListAllAsync()).Select(t => t.JobName!).Order());
    }

    [Fact]
    public async Task AJobFiredByAPush_RunsOnAnAgent_InACheckoutOfThePushedCommit()
    {
        using var repo = GitRepo.Create(
            new Dictionary<string, string> { ["a.sh"] = "echo a\n", [".reviewbot.yml"] = RepositoryFile.Replace("echo on-main", "test -f a.sh && echo pushed-ok") },
            new Dictionary<string, string?> { ["a.sh"] = "echo b\n" });
        var app = await App();
        var agent = AgentProcess.Start(app.Url, "gitlab-job-agent", ["linux"]);
        _owned.Add(agent);
        await app.WaitForOnlineAsync(agent, Timeouts.Long);
        var push = Push(after: repo.BaseSha); // main's head: the file is read there with git (a local clone URL)
        push["project"]!["git_http_url"] = repo.CloneUrl;

        var (status, answer) = await Post(app, "Push Hook", push);

        Assert.Equal(HttpStatusCode.Accepted, status);
        var done = await app.WaitForTaskAsync(Tasks(answer).Single(), t => t.State.IsTerminal(), Timeouts.Long, "the pushed job's run to end");
        Assert.Equal(TaskState.Succeeded, done.State);
        Assert.Equal(("on-main", repo.BaseSha, CodeHostNames.GitLab), (done.JobName, done.HeadSha, done.Host));
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "Merge Request Hook", """{"object_attributes":{"target_branch":"bad..name"}}""", "object_attributes.target_branch" },
        { "Merge Request Hook", """{"object_attributes":{"merge_commit_sha":"not-a-commit"}}""", "object_attributes.merge_commit_sha" },
        { "Merge Request Hook", """{"object_attributes":{"source_branch":7}}""", "object_attributes.source_branch" },
        { "Merge Request Hook", """{"project":{"git_http_url":"https://evil.example/group/project.git"}}""", "project.git_http_url" },
        { "Tag Push Hook", """{"ref":"refs/heads/v1.0.0"}""", "ref" },
        { "Tag Push Hook", """{"after":"zzz"}""", "after" },
        { "Tag Push Hook", """{"project":{"path_with_namespace":"../etc"}}""", "project.path_with_namespace" },
        { "Push Hook", """{"ref":"refs/heads/-rf"}""", "ref" },
        { "Push Hook", """{"project":null}""", "project" },
        { "Push Hook", """{"project":{"default_branch":"a b"}}""", "project.default_branch" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedHook_Is400NamingTheField_AndFiresNothing(string eventName, string edit, string field)
    {
        var app = await App();
        var body = eventName switch { "Merge Request Hook" => Merged(), "Tag Push Hook" => TagPush(), _ => Push() };
        Merge(body, JsonNode.Parse(edit)!);

        var (status, answer) = await Post(app, eventName, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, answer.GetProperty("field").GetString());
        Assert.Empty(await app.Tasks.ListAllAsync());
    }

    /// <summary>Sets <paramref name="edit"/>'s leaves into <paramref name="body"/> (a null replaces the whole value).</summary>
    private static void Merge(JsonNode body, JsonNode edit)
    {
        foreach (var (key, value) in edit.AsObject())
        {
            if (value is JsonObject inner && body[key] is JsonObject target) Merge(target, inner);
            else body[key] = value?.DeepClone();
        }
    }
}
