using System.Net;
using System.Text;
using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Ingest;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Tasks;

namespace ReviewBot.Tests.CodeHosts.GitHub.Webhooks;

[Collection(AzuriteCollection.Name)]
public sealed class GitHubWebhookTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp _app = null!;
    private GitRepo _repo = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux);
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo ok\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _repo.Dispose();
    }

    private Task<IReadOnlyList<ReviewTask>> AllTasks() => _app.Tasks.ListAllAsync();

    private async Task AssertNothingStored(string deliveryId)
    {
        Assert.Empty(await AllTasks());
        Assert.False(await _app.Services.GetRequiredService<DeliveryStore>().ExistsAsync("github", deliveryId, CancellationToken.None));
    }

    [Fact]
    public async Task SignedPullRequestOpened_CreatesOneQueuedTaskPerLinter_BeforeAnswering202()
    {
        var response = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var ids = answer.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(2, ids.Count);
        var stored = await AllTasks();
        Assert.Equal(ids.Order(), stored.Select(t => t.Id).Order());
        Assert.Equal(["shellcheck", "todo-check"], stored.Select(t => t.Linter.Name).Order());
        Assert.All(stored, t =>
        {
            Assert.Equal("Codertocat/Hello-World", t.Repository);
            Assert.Equal(_repo.HeadSha, t.HeadSha);
            Assert.Equal(_repo.BaseSha, t.BaseSha);
            Assert.Equal(2, t.PullRequest);
            Assert.Equal(1, t.InstallationId); // the fixture's installation: clone tokens and reporting use it
        });
        Assert.Equal("linux", stored.Single(t => t.Linter.Name == "shellcheck").NodeLabels);
    }

    [Fact]
    public async Task Redelivery_WithTheSameDeliveryId_CreatesNothing()
    {
        var body = Deliveries.PullRequest(_repo);
        var delivery = Guid.NewGuid().ToString();
        await _app.PostDeliveryAsync("pull_request", body, delivery);
        var before = await AllTasks();

        var again = await _app.PostDeliveryAsync("pull_request", body, delivery);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("duplicate", await again.Content.ReadAsStringAsync());
        // The dispatcher may have noted a wait reason meanwhile; what must not change is which tasks exist and when they were created.
        var after = await AllTasks();
        Assert.Equal(before.Select(t => (t.Id, t.CreatedAt)).Order(), after.Select(t => (t.Id, t.CreatedAt)).Order());
        Assert.All(after, t => Assert.Single(t.History, h => h.Note.StartsWith("created by")));
    }

    [Fact]
    public async Task SameRevisionUnderANewDeliveryId_CreatesNoNewTask()
    {
        var body = Deliveries.PullRequest(_repo);
        await _app.PostDeliveryAsync("pull_request", body);
        var before = (await AllTasks()).Select(t => t.Id).Order().ToList();

        var second = await _app.PostDeliveryAsync("pull_request", body);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(before, (await AllTasks()).Select(t => t.Id).Order());
    }

    [Fact]
    public async Task UnsignedDelivery_Is401AndStoresNothing()
    {
        var delivery = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new ByteArrayContent(Deliveries.PullRequest(_repo)) };
        request.Headers.Add("X-GitHub-Event", "pull_request");
        request.Headers.Add("X-GitHub-Delivery", delivery);

        var response = await _app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingStored(delivery);
    }

    [Fact]
    public async Task WronglySignedDelivery_Is401AndStoresNothing()
    {
        var delivery = Guid.NewGuid().ToString();
        var body = Deliveries.PullRequest(_repo);

        var response = await _app.PostDeliveryAsync("pull_request", body, delivery, ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookSignature.Compute("another secret", body));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNothingStored(delivery);
    }

    [Fact]
    public async Task TruncatedDelivery_WithTheOriginalSignature_Is401AndStoresNothing()
    {
        var delivery = Guid.NewGuid().ToString();
        var body = Deliveries.PullRequest(_repo);

        var response = await _app.PostDeliveryAsync("pull_request", body[..(body.Length / 2)], delivery, ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookSignature.Compute(TestApp.WebhookSecret, body));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNothingStored(delivery);
    }

    [Fact]
    public async Task TruncatedJson_SignedAsSent_Is400ProblemAndStoresNothing()
    {
        var delivery = Guid.NewGuid().ToString();
        var body = Deliveries.PullRequest(_repo);

        var response = await _app.PostDeliveryAsync("pull_request", body[..(body.Length / 2)], delivery);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("JSON", await response.Content.ReadAsStringAsync());
        await AssertNothingStored(delivery);
    }

    [Fact]
    public async Task OversizedDelivery_Is413AndStoresNothing()
    {
        await using var app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, new Dictionary<string, string?> { ["ReviewBot:GitHub:MaxBodyBytes"] = "4096" });
        var delivery = Guid.NewGuid().ToString();
        var body = Deliveries.PullRequest(_repo);
        Assert.True(body.Length > 4096);

        var response = await app.PostDeliveryAsync("pull_request", body, delivery);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await app.Tasks.ListAllAsync());
    }

    [Fact]
    public async Task Ping_IsAnsweredWithPong()
    {
        var response = await _app.PostDeliveryAsync("ping", Encoding.UTF8.GetBytes(File.ReadAllText(RepoPaths.TestData("github", "ping.json"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("pong", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("pull_request", "pull_request.converted_to_draft")]
    [InlineData("pull_request", "pull_request.closed")]
    [InlineData("pull_request", "pull_request.labeled")]
    [InlineData("push", "push")]
    public async Task EventsThatNeedNoReview_AreAcknowledgedAndCreateNothing(string eventName, string fixture)
    {
        var response = await _app.PostDeliveryAsync(eventName, Encoding.UTF8.GetBytes(File.ReadAllText(RepoPaths.TestData("github", fixture + ".json"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ignored", await response.Content.ReadAsStringAsync());
        Assert.Empty(await AllTasks());
    }

    [Fact]
    public async Task DraftPullRequestOpened_CreatesNothing()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Deliveries.PullRequest(_repo))!;
        json["pull_request"]!["draft"] = true;

        var response = await _app.PostDeliveryAsync("pull_request", Encoding.UTF8.GetBytes(json.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await AllTasks());
    }

    [Theory]
    [InlineData("opened")]
    [InlineData("synchronize")]
    [InlineData("reopened")]
    [InlineData("ready_for_review")]
    public async Task ReviewActions_CreateTasks(string action)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Deliveries.PullRequest(_repo))!;
        json["action"] = action;
        json["before"] = _repo.BaseSha; // synchronize deliveries carry the push's before/after
        json["after"] = _repo.HeadSha;

        var response = await _app.PostDeliveryAsync("pull_request", Encoding.UTF8.GetBytes(json.ToJsonString()));

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        Assert.Equal(2, (await AllTasks()).Count);
    }

    [Fact]
    public async Task MissingEventHeader_Is400ProblemNamingTheHeader()
    {
        var body = Deliveries.PullRequest(_repo);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookSignature.Compute(TestApp.WebhookSecret, body));

        var response = await _app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("X-GitHub-Event", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PullRequestOfARepositoryWithNoLinterEnabled_IsAcknowledgedWithoutTasks()
    {
        await using var app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux + """

            repos:
              "Codertocat":
                linters:
                  shellcheck: { enable: false }
                  todo-check: { enable: false }
            """);

        var response = await app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no linter is configured for Codertocat/Hello-World", await response.Content.ReadAsStringAsync());
        Assert.Empty(await app.Tasks.ListAllAsync());
    }

    [Fact]
    public async Task LateRedeliveryOfAnOlderPush_DoesNotCancelTheNewerRevisionsTasks()
    {
        var now = DateTimeOffset.UtcNow;
        var newer = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo, updatedAt: now));
        var newerIds = JsonDocument.Parse(await newer.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!).ToList();

        var older = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo, updatedAt: now.AddMinutes(-5), headSha: _repo.BaseSha));

        Assert.Equal(HttpStatusCode.Accepted, older.StatusCode);
        foreach (var id in newerIds)
            Assert.Equal(TaskState.Queued, (await _app.Tasks.GetAsync(id, default))!.State);
    }

    [Fact]
    public async Task NewerPush_CancelsTheQueuedTasksOfTheOlderRevision()
    {
        var now = DateTimeOffset.UtcNow;
        var older = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo, updatedAt: now.AddMinutes(-5), headSha: _repo.BaseSha));
        var olderIds = JsonDocument.Parse(await older.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!).ToList();

        await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo, updatedAt: now));

        foreach (var id in olderIds)
        {
            var task = (await _app.Tasks.GetAsync(id, default))!;
            Assert.Equal(TaskState.Cancelled, task.State);
            Assert.Contains("superseded", task.Error);
        }
    }
}
