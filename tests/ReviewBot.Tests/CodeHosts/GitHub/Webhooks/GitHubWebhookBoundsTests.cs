using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReviewBot.Core;
using ReviewBot.Functions.Ingest;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Tasks;

namespace ReviewBot.Tests.CodeHosts.GitHub.Webhooks;

/// <summary>Signed but hostile GitHub deliveries (security review D2, D8, D11, D13): oversized fields, values of the
/// wrong kind, numbers out of range and bad signature headers are a 4xx problem naming the field, nothing stored.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitHubWebhookBoundsTests(AzuriteFixture azurite) : IAsyncLifetime
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

    private JsonNode PullRequest() => JsonNode.Parse(Deliveries.PullRequest(_repo))!;

    /// <summary>Posts the delivery and checks the answer is a 400 problem naming <paramref name="field"/>, with nothing stored.</summary>
    private Task<string> AssertRefused(string eventName, JsonNode body, string field) => AssertRefused(eventName, body.ToJsonString(), field);

    private async Task<string> AssertRefused(string eventName, string body, string field)
    {
        var delivery = Guid.NewGuid().ToString();
        var response = await _app.PostDeliveryAsync(eventName, Encoding.UTF8.GetBytes(body), delivery);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, JsonDocument.Parse(text).RootElement.GetProperty("field").GetString());
        Assert.Empty(await _app.Tasks.ListAllAsync());
        Assert.False(await _app.Services.GetRequiredService<DeliveryStore>().ExistsAsync("github", delivery, CancellationToken.None));
        return text;
    }

    [Theory]
    [InlineData("pull_request.head.ref", 100_000)]
    [InlineData("pull_request.head.ref", 31_669)] // just under the table's property limit: used to be stored and then wedge routing
    [InlineData("pull_request.base.ref", 40_000)]
    [InlineData("repository.full_name", 40_000)]
    [InlineData("repository.clone_url", 40_000)]
    [InlineData("pull_request.head.sha", 5_000)]
    [InlineData("action", 5_000)]
    public async Task OversizedField_Is400NamingIt_AndStoresNothing(string field, int length)
    {
        var json = PullRequest();
        var parts = field.Split('.');
        var parent = parts[..^1].Aggregate(json, (node, name) => node[name]!);
        var value = parent[parts[^1]]!.GetValue<string>();
        parent[parts[^1]] = value + new string('a', length - value.Length);

        var text = await AssertRefused("pull_request", json, field);

        Assert.Contains("at most", text);
    }

    [Fact]
    public async Task FieldsAtTheirCaps_AreAccepted()
    {
        var json = PullRequest();
        json["pull_request"]!["head"]!["ref"] = "feature/" + new string('x', FieldLimits.Ref - "feature/".Length);
        json["repository"]!["full_name"] = new string('o', 39) + "/" + new string('h', 100); // GitHub's own maximum, under the cap

        var response = await _app.PostDeliveryAsync("pull_request", Encoding.UTF8.GetBytes(json.ToJsonString()));

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        Assert.All(await _app.Tasks.ListAllAsync(), t => Assert.Equal(FieldLimits.Ref, t.HeadRef!.Length));
    }

    [Theory]
    [InlineData(4_294_967_298L)] // 2^32 + 2 used to become #2
    [InlineData(2_147_483_648L)] // 2^31 used to become -2147483648
    [InlineData(0L)]
    [InlineData(-1L)]
    public async Task PullRequestNumberOutside1ToIntMax_Is400(long number)
    {
        var json = PullRequest();
        json["number"] = number;
        json["pull_request"]!["number"] = number;

        var text = await AssertRefused("pull_request", json, "pull_request.number");

        Assert.Contains("2147483647", text);
    }

    [Fact]
    public async Task MergedPullRequestWithAWrappingNumber_Is400()
    {
        var json = Deliveries.Load("pull_request.closed.merged");
        json["pull_request"]!["number"] = 4_294_967_298L;

        await AssertRefused("pull_request", json, "pull_request.number");
    }

    [Theory]
    [InlineData("pull_request", "pull_request.updated_at", "not a date")]
    [InlineData("pull_request", "pull_request.created_at", "2019-13-45T99:00:00Z")]
    [InlineData("pull_request", "repository.pushed_at", 1e300)]
    [InlineData("release", "release.created_at", "yesterday")]
    public async Task UnparseableDate_Is400NamingIt(string eventName, string field, object value)
    {
        var json = eventName == "release" ? Deliveries.Load("release.published") : PullRequest();
        var parts = field.Split('.');
        parts[..^1].Aggregate(json, (node, name) => node[name]!)[parts[^1]] = JsonValue.Create(value);

        await AssertRefused(eventName, json, field);
    }

    [Theory]
    [InlineData("check_run")]
    [InlineData("check_suite")]
    public async Task CheckEventWhoseBodyIsAnArray_Is400(string eventName)
    {
        await AssertRefused(eventName, new JsonArray(1, 2), "body");
    }

    [Theory]
    [InlineData("check_run")]
    [InlineData("check_suite")]
    public async Task CheckEventWhoseActionIsNotAString_Is400(string eventName)
    {
        var json = Deliveries.Load($"{eventName}.rerequested");
        json["action"] = new JsonObject { ["x"] = 1 };

        await AssertRefused(eventName, json, "action");
    }

    [Fact]
    public async Task AnActionGitHubDoesNotSend_Is400NamingIt()
    {
        var json = PullRequest();
        json["action"] = "exploded";

        var text = await AssertRefused("pull_request", json, "action");

        Assert.Contains("'exploded' is not an action", text);
    }

    [Fact]
    public async Task ALoneSurrogateInAString_Is400NamingIt()
    {
        var body = PullRequest().ToJsonString().Replace("\"ref\":\"feature\"", "\"ref\":\"\\ud800feature\"");
        Assert.Contains("ud800", body);

        await AssertRefused("pull_request", body, "pull_request.head.ref");
    }

    [Theory]
    [InlineData("issue_comment", "issue_comment.created.on-pull-request", "comment.body")]
    [InlineData("push", "push.with-new-branch", "commits[0].message")]
    [InlineData("check_suite", "check_suite.rerequested", "check_suite.head_branch")]
    public async Task ALoneSurrogateInAnyEvent_Is400NamingTheField(string eventName, string fixture, string field)
    {
        var json = Deliveries.Load(fixture);
        var parts = field.Replace("[0]", ".0").Split('.');
        var parent = parts[..^1].Aggregate(json, (node, name) => int.TryParse(name, out var i) ? node[i]! : node[name]!);
        parent[parts[^1]] = "lone-surrogate-here";
        var body = json.ToJsonString().Replace("lone-surrogate-here", "\\udc00 tail");

        await AssertRefused(eventName, body, field);
    }

    /// <summary>D13: an unauthenticated sender must not make the app buffer 25 MB. The request announces 25 MB and sends
    /// a few bytes; the answer must come at once, without waiting for a body that never arrives.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("sha256=")]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567")]
    [InlineData("sha256=zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef00")]
    public async Task MissingOrMalformedSignature_Is401BeforeTheBodyIsRead(string? signature)
    {
        var headers = new List<string>
        {
            "Content-Type: application/json", "Content-Length: 25000000", "X-GitHub-Event: pull_request", $"X-GitHub-Delivery: {Guid.NewGuid()}",
        };
        if (signature is not null) headers.Add($"X-Hub-Signature-256: {signature}");

        var answer = await RawHttp.SendPartialAsync(_app.Url, "POST", "/api/github/webhook", headers, "{\"action\":"u8.ToArray(), Timeouts.Short);

        Assert.Equal(401, answer.Status);
        Assert.StartsWith("application/problem+json", answer.Headers["Content-Type"]);
        Assert.Contains("X-Hub-Signature-256", answer.Body);
    }

    [Fact]
    public async Task WellFormedButWrongSignature_IsStill401AfterReadingTheBody()
    {
        var body = Deliveries.PullRequest(_repo);

        var response = await _app.PostDeliveryAsync("pull_request", body, signature: "sha256=" + new string('0', 64));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("does not match", await response.Content.ReadAsStringAsync());
    }
}
