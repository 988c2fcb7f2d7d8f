using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Reminders.Chat;

/// <summary>
/// D6 (security review): <c>bind github &lt;login&gt;</c> made any chat member that person. A binding now needs proof: the
/// bot answers with a one-time code that the git user confirms in a pull request comment (a signed <c>issue_comment</c>
/// webhook) or an admin confirms through the API; until then the binding counts for nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class ChatBindingProofTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string SlackSecret = "slack-signing-secret-for-tests";
    private static readonly DateTimeOffset Start = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly PullRequestKey Pr = new("github", "org/app", 7);

    private readonly FakeTimeProvider _time = new(Start);
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(azurite, $$"""
        reminders:
          platforms:
            slack: { signingSecret: "{{SlackSecret}}" }
          repos:
            - { repository: org/app, platform: slack, webhook: "http://127.0.0.1:9/unused" }
        """, time: _time);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<string> SlackAsync(string user, string text)
    {
        var response = await ChatRequests.Slack(SlackSecret, _time.GetUtcNow(), user, text).SendAsync(_app.Http);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"'{text}' from {user}: {(int)response.StatusCode} {body}");
        _time.Advance(TimeSpan.FromSeconds(1)); // each command its own signature, as in real use
        return JsonNode.Parse(body)!["text"]!.GetValue<string>();
    }

    private static string CodeIn(string reply)
    {
        var match = BindComment().Match(reply);
        Assert.True(match.Success, $"no '/reviewbot bind <code>' in the reply: {reply}");
        return match.Groups[1].Value;
    }

    /// <summary>A signed <c>issue_comment.created</c> delivery: <paramref name="login"/> commented on pull request #7.</summary>
    private Task<HttpResponseMessage> CommentAsync(string login, string text)
    {
        var at = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ");
        var user = new JsonObject { ["login"] = login, ["id"] = login.Length * 1000, ["type"] = "User" };
        var payload = new JsonObject
        {
            ["action"] = "created",
            ["issue"] = new JsonObject
            {
                ["number"] = 7, ["title"] = "Change", ["state"] = "open", ["user"] = user.DeepClone(),
                ["created_at"] = at, ["updated_at"] = at,
                ["pull_request"] = new JsonObject { ["url"] = "https://api.github.com/repos/org/app/pulls/7" },
            },
            ["comment"] = new JsonObject
            {
                ["id"] = 42, ["body"] = text, ["user"] = user.DeepClone(), ["author_association"] = "NONE",
                ["created_at"] = at, ["updated_at"] = at,
            },
            ["repository"] = new JsonObject { ["id"] = 1, ["name"] = "app", ["full_name"] = "org/app", ["owner"] = new JsonObject { ["login"] = "org" } },
            ["sender"] = user.DeepClone(),
        };
        return _app.PostDeliveryAsync("issue_comment", ChatRequests.Json(payload));
    }

    private Task<ResponseRecord?> RecordAsync(string login) =>
        _app.Services.GetRequiredService<ResponseStore>().GetAsync(Pr, login, CancellationToken.None);

    private async Task<IReadOnlyDictionary<string, string>> MentionsAsync() =>
        await _app.Services.GetRequiredService<ChatUsers>().ChatIdsAsync("slack", CancellationToken.None);

    [Fact]
    public async Task BindWithoutProof_DoesNotLetTheChatUserActForThatLogin()
    {
        var reply = await SlackAsync("U0MALLORY", "bind github bob");
        Assert.DoesNotContain("Bound", reply);
        var code = CodeIn(reply);

        var ack = await SlackAsync("U0MALLORY", "ack org/app#7");
        Assert.DoesNotContain("Acknowledged", ack);
        Assert.Null(await RecordAsync("bob"));
        Assert.DoesNotContain("bob", (await MentionsAsync()).Keys);

        // Someone else posting the code proves nothing: the comment must come from bob.
        var eve = await CommentAsync("eve", $"/reviewbot bind {code}");
        Assert.True(eve.IsSuccessStatusCode, await eve.Content.ReadAsStringAsync());
        await SlackAsync("U0MALLORY", "ack org/app#7");
        Assert.Null(await RecordAsync("bob"));
    }

    [Fact]
    public async Task BindConfirmedByTheGitHubUsersSignedComment_LetsTheChatUserAck_AndTheCodeIsSingleUse()
    {
        var code = CodeIn(await SlackAsync("U0BOB", "bind github bob"));
        var comment = await CommentAsync("bob", $"Looks good.\n/reviewbot bind {code}");
        Assert.True(comment.IsSuccessStatusCode, await comment.Content.ReadAsStringAsync());
        Assert.Contains("bound", await comment.Content.ReadAsStringAsync());

        Assert.Equal("U0BOB", (await MentionsAsync())["bob"]);
        Assert.Contains("Acknowledged org/app#7", await SlackAsync("U0BOB", "ack org/app#7"));
        Assert.NotNull((await RecordAsync("bob"))!.AckedAt);

        // The same code again (a redelivery, or someone replaying the comment for another chat user) binds nothing new.
        var mallory = CodeIn(await SlackAsync("U0MALLORY", "bind github bob"));
        Assert.NotEqual(code, mallory);
        await CommentAsync("bob", $"/reviewbot bind {code}");
        Assert.Equal("U0BOB", (await MentionsAsync())["bob"]);
    }

    [Fact]
    public async Task CodesExpire()
    {
        var code = CodeIn(await SlackAsync("U0BOB", "bind github bob"));
        _time.Advance(TimeSpan.FromMinutes(16));
        await CommentAsync("bob", $"/reviewbot bind {code}");
        Assert.DoesNotContain("bob", (await MentionsAsync()).Keys);
    }

    [Fact]
    public async Task AdminConfirmsACodeOrBindsDirectly_ThroughTheApi()
    {
        var code = CodeIn(await SlackAsync("U0CAROL", "bind github carol"));

        using var reader = new HttpClient { BaseAddress = new Uri(_app.Url), Timeout = Timeouts.Short };
        reader.DefaultRequestHeaders.Authorization = new("Bearer", TestApp.ReadKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/bindings/confirm", new { code })).StatusCode);

        var unknown = await _app.Http.PostAsJsonAsync("/api/bindings/confirm", new { code = "NOTACODE00" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("code", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        var confirmed = await _app.Http.PostAsJsonAsync("/api/bindings/confirm", new { code });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("U0CAROL", (await MentionsAsync())["carol"]);

        var direct = await _app.Http.PostAsJsonAsync("/api/bindings", new { platform = "slack", login = "dave", chatId = "U0DAVE" });
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal("U0DAVE", (await MentionsAsync())["dave"]);

        var bad = await _app.Http.PostAsJsonAsync("/api/bindings", new { platform = "irc", login = "dave", chatId = "U0DAVE" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("platform", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        var list = await reader.GetFromJsonAsync<JsonElement>("/api/bindings?platform=slack");
        Assert.Equal(["carol", "dave"], list.EnumerateArray().Select(b => b.GetProperty("login").GetString()).Order());
    }

    [Fact]
    public async Task HostileCommentPayloads_GetA4xxOrAreIgnored_NeverA500()
    {
        // Not a bind comment: the delivery is the other issue_comment readers' (/ok-to-test), which answer 4xx for these shapes.
        var notAnObject = await _app.PostDeliveryAsync("issue_comment", "{\"action\":\"created\",\"comment\":\"/reviewbot bind ABCDEFGHJK\"}"u8.ToArray());
        Assert.InRange((int)notAnObject.StatusCode, 200, 499);
        var noAuthor = await _app.PostDeliveryAsync("issue_comment", "{\"action\":\"created\",\"comment\":{\"body\":\"/reviewbot bind ABCDEFGHJK\",\"user\":[]}}"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, noAuthor.StatusCode);
        Assert.Equal("comment.user.login", (await noAuthor.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        var array = await _app.PostDeliveryAsync("issue_comment", "[1,2]"u8.ToArray());
        Assert.InRange((int)array.StatusCode, 200, 499);
        var notJson = await _app.Http.PostAsync("/api/bindings/confirm", new StringContent("[\"code\"]", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        var wrongKind = await _app.Http.PostAsJsonAsync("/api/bindings", new { platform = "slack", login = 5, chatId = "U1" });
        Assert.Equal("login", (await wrongKind.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [GeneratedRegex(@"/reviewbot bind ([A-Z0-9]{6,})")]
    private static partial Regex BindComment();
}
