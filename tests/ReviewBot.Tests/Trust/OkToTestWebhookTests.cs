using System.Net;
using System.Text;
using System.Text.Json;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Trust;

/// <summary><c>issue_comment</c> deliveries that approve nothing: answered 200 "ignored" with the reason, or 400 naming
/// the field when the payload is not what GitHub sends. Nothing is stored for them.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OkToTestWebhookTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Repository = "Codertocat/Hello-World";
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(azurite, "linters: {}\n");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Answer)> Send(byte[] body)
    {
        var response = await _app.PostDeliveryAsync("issue_comment", body);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    [Theory]
    [InlineData("created", true, "Nice work", "the comment is not /ok-to-test (alone on a line)")]
    [InlineData("edited", true, "/ok-to-test", "issue_comment.edited: only new comments can approve")]
    [InlineData("created", false, "/ok-to-test", "#3 is an issue, not a pull request")]
    public async Task CommentsThatAreNotApprovals_AreIgnoredWithTheReason(string action, bool onPullRequest, string body, string why)
    {
        var (status, answer) = await Send(TrustDeliveries.Comment(Repository, 3, "octocat", "MEMBER", body, action, onPullRequest));

        Assert.Equal((HttpStatusCode.OK, "ignored", why), (status, answer.GetProperty("status").GetString(), answer.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task AMembersOkToTestWithNothingWaiting_IsRecorded_AndSaysSo()
    {
        var (status, answer) = await Send(TrustDeliveries.Comment(Repository, 3, "octocat", "MEMBER", "/ok-to-test"));

        Assert.Equal((HttpStatusCode.OK, "approved"), (status, answer.GetProperty("status").GetString()));
        Assert.Equal("octocat approved Codertocat/Hello-World#3 (/ok-to-test); nothing was waiting for approval", answer.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("issue", "number", "\"three\"", "issue.number")]
    [InlineData("issue", "number", "2147483648", "issue.number")]
    [InlineData("comment", "user", "null", "comment.user")]
    [InlineData("repository", "full_name", "42", "repository.full_name")]
    public async Task MalformedPayload_Is400NamingTheField(string parent, string name, string json, string field)
    {
        var payload = Deliveries.Load("issue_comment.created.on-pull-request");
        payload[parent]![name] = System.Text.Json.Nodes.JsonNode.Parse(json);

        var (status, answer) = await Send(Encoding.UTF8.GetBytes(payload.ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, answer.GetProperty("field").GetString());
    }
}
