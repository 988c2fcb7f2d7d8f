using System.Net;
using System.Text;
using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Ingest;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitLab;
using ReviewBot.Tests.Tasks;

namespace ReviewBot.Tests.CodeHosts.GitLab.Webhooks;

[Collection(AzuriteCollection.Name)]
public sealed class GitLabWebhookTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private GitRepo _repo = null!;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo ok\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<TestApp> App(Dictionary<string, string?>? settings = null)
    {
        var app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, settings ?? GitLabDeliveries.Settings());
        _owned.Add(app);
        return app;
    }

    private static Task<IReadOnlyList<ReviewTask>> AllTasks(TestApp app) => app.Tasks.ListAllAsync();

    private static async Task<JsonElement> Json(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task MergeRequestOpened_CreatesOneGitLabTaskPerLinter()
    {
        var app = await App();

        var response = await GitLabDeliveries.PostAsync(app, GitLabDeliveries.MergeRequest(_repo));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = await AllTasks(app);
        Assert.Equal(["shellcheck", "todo-check"], stored.Select(t => t.Linter.Name).Order());
        Assert.All(stored, t =>
        {
            Assert.Equal((CodeHostNames.GitLab, 42L, 5, "group/project"), (t.Host, t.ProjectId, t.PullRequest, t.Repository));
            Assert.Equal((_repo.HeadSha, "feature", "main", _repo.CloneUrl), (t.HeadSha, t.HeadRef, t.BaseRef, t.CloneUrl));
            Assert.Null(t.BaseSha); // no API token: the agent lints the head commit without a diff base
            Assert.StartsWith("mr-", t.Id);
        });
        // Nothing to report without GitLab credentials: publishing says so (Reporting/ReportPipeline.cs).
        foreach (var t in stored)
        {
            var reported = await app.WaitForTaskAsync(t.Id, x => x.Reporting.Done, Timeouts.Long, "the report to be settled");
            Assert.Equal("not reported: no gitlab credentials are configured", reported.Reporting.Note);
        }
    }

    [Fact]
    public async Task WithAnApiToken_TheBaseCommitComesFromTheMergeRequestsDiffRefs()
    {
        await using var fake = await FakeGitLabServer.StartAsync();
        fake.AddMergeRequest(42, 5).SetDiff(_repo.BaseSha, "0123456789012345678901234567890123456789", _repo.HeadSha, "");
        var app = await App(GitLabDeliveries.Settings(fake.Url, FakeGitLabServer.Token));

        var response = await GitLabDeliveries.PostAsync(app, GitLabDeliveries.MergeRequest(_repo));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.All(await AllTasks(app), t => Assert.Equal(_repo.BaseSha, t.BaseSha));
        Assert.Contains(fake.Requests, r => r.Method == "GET" && r.PathAndQuery == "/api/v4/projects/42/merge_requests/5");
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("wrong-secret", "does not match")]
    public async Task MissingOrWrongToken_Is401Problem_AndStoresNothing(string? token, string detail)
    {
        var app = await App();
        var uuid = Guid.NewGuid().ToString();

        var response = await GitLabDeliveries.PostAsync(app, GitLabDeliveries.MergeRequest(_repo), uuid: uuid, token: token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, (await Json(response)).GetProperty("detail").GetString());
        Assert.Empty(await AllTasks(app));
        Assert.False(await app.Services.GetRequiredService<DeliveryStore>().ExistsAsync("gitlab", uuid, CancellationToken.None));
    }

    [Fact]
    public async Task NoSecretConfigured_Is503()
    {
        var app = await App(new Dictionary<string, string?>());

        var response = await GitLabDeliveries.PostAsync(app, GitLabDeliveries.MergeRequest(_repo));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Redelivery_WithTheSameEventUuid_IsADuplicate()
    {
        var app = await App();
        var body = GitLabDeliveries.MergeRequest(_repo);
        var uuid = Guid.NewGuid().ToString();
        await GitLabDeliveries.PostAsync(app, body, uuid: uuid);
        var before = await AllTasks(app);

        var again = await GitLabDeliveries.PostAsync(app, body, uuid: uuid);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("duplicate", (await Json(again)).GetProperty("status").GetString());
        Assert.Equal(before.Select(t => (t.Id, t.CreatedAt)).Order(), (await AllTasks(app)).Select(t => (t.Id, t.CreatedAt)).Order());
    }

    [Fact]
    public async Task UpdateWithNewCommits_IsReviewed_AndSupersedesTheOlderHead()
    {
        var app = await App(GitLabDeliveries.Settings());
        var first = (await Json(await GitLabDeliveries.PostAsync(app, GitLabDeliveries.MergeRequest(_repo, updatedAt: DateTimeOffset.UtcNow.AddMinutes(-1))))).GetProperty("tasks");
        var oldHead = _repo.HeadSha;
        _repo.Push(new Dictionary<string, string?> { ["a.sh"] = "echo \"$1\"\n" });

        var response = await GitLabDeliveries.PostAsync(app, GitLabDeliveries.MergeRequest(_repo, "merge_request.update.go-gitlab",
            edit: j => j["object_attributes"]!["oldrev"] = oldHead));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("cancelled", (await Json(response)).GetProperty("message").GetString());
        foreach (var id in first.EnumerateArray().Select(e => e.GetString()!))
            Assert.Equal(TaskState.Cancelled, (await app.Tasks.GetAsync(id, CancellationToken.None))!.State);
    }

    [Theory]
    [InlineData("update", "opened", false, null, "without new commits")]
    [InlineData("open", "opened", true, null, "draft")]
    [InlineData("close", "closed", false, null, "closed")]
    [InlineData("approved", "opened", false, null, "needs no review")]
    public async Task HooksThatNeedNoReview_Are200Ignored(string action, string state, bool draft, string? oldrev, string why)
    {
        var app = await App();
        var body = GitLabDeliveries.MergeRequest(_repo, "merge_request.update.go-gitlab", edit: j =>
        {
            var a = j["object_attributes"]!;
            a["action"] = action;
            a["state"] = state;
            a["draft"] = draft;
            a.AsObject().Remove("oldrev");
            if (oldrev is not null) a["oldrev"] = oldrev;
        });

        var response = await GitLabDeliveries.PostAsync(app, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await Json(response);
        Assert.Equal("ignored", answer.GetProperty("status").GetString());
        Assert.Contains(why, answer.GetProperty("message").GetString());
        Assert.Empty(await AllTasks(app));
    }

    [Theory]
    [InlineData("Note Hook", "note.merge_request.go-gitlab")]
    public async Task OtherEvents_Are200Ignored(string eventName, string fixture)
    {
        var app = await App();

        var response = await GitLabDeliveries.PostAsync(app, File.ReadAllBytes(RepoPaths.TestData("gitlab", fixture + ".json")), eventName);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ignored", (await Json(response)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task PayloadWithoutTheHeadCommit_Is400NamingTheField()
    {
        var app = await App();
        var body = GitLabDeliveries.MergeRequest(_repo, edit: j => j["object_attributes"]!.AsObject().Remove("last_commit"));

        var response = await GitLabDeliveries.PostAsync(app, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("object_attributes.last_commit", (await Json(response)).GetProperty("field").GetString());
        Assert.Empty(await AllTasks(app));
    }

    [Fact]
    public async Task NotJson_Is400_AndMissingEventHeaderIs400()
    {
        var app = await App();

        var notJson = await GitLabDeliveries.PostAsync(app, Encoding.UTF8.GetBytes("{not json"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/gitlab/webhook") { Content = new ByteArrayContent(GitLabDeliveries.MergeRequest(_repo)) };
        request.Headers.Add("X-Gitlab-Token", GitLabDeliveries.Secret);
        var noEvent = await app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noEvent.StatusCode);
        Assert.Equal("X-Gitlab-Event", (await Json(noEvent)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task BodyOverTheLimit_Is413()
    {
        var settings = GitLabDeliveries.Settings();
        settings["ReviewBot:GitLab:MaxBodyBytes"] = "2048";
        var app = await App(settings);

        var response = await GitLabDeliveries.PostAsync(app, new byte[4096]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public void TaskIds_OfAMergeRequest_NeverCollideWithAPullRequestOfTheSamePathAndNumber()
    {
        Assert.NotEqual(TaskIds.ForPullRequest("group/project", 5, "abc", "lint"), TaskIds.ForMergeRequest(42, 5, "abc", "lint"));
        Assert.NotEqual(TaskIds.ForMergeRequest(42, 5, "abc", "lint"), TaskIds.ForMergeRequest(43, 5, "abc", "lint"));
    }
}
