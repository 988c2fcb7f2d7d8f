using System.Net;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Reminders.Chat;

/// <summary>
/// D6 (security review): a captured chat request must not be good for a second command. Replays inside the platform's
/// window are refused (also by another instance on the same storage), and where the platform's signature does not
/// cover the body (DingTalk's outgoing robot, WeCom's plaintext mode, Feishu without an Encrypt Key) commands are
/// refused unless the configuration accepts that explicitly.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChatCommandAuthenticityTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string SlackSecret = "slack-signing-secret-for-tests";
    private const string FeishuToken = "feishu-verification-token";
    private const string DingTalkSecret = "SECdingtalk-app-secret";
    private const string WeComToken = "wecom-callback-token";
    private static readonly DateTimeOffset Start = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly PullRequestKey Pr = new("github", "org/app", 1);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly List<TestApp> _apps = [];

    /// <summary>Every platform in the mode it was configured in before the fix: header signatures, tokens, plaintext.</summary>
    public static string Yaml(string platformsExtra = "") => $$"""
        reminders:
          platforms:
            slack: { signingSecret: "{{SlackSecret}}" }
            feishu: { verificationToken: "{{FeishuToken}}"{{platformsExtra}} }
            dingtalk: { appSecret: "{{DingTalkSecret}}"{{platformsExtra}} }
            wecom: { token: "{{WeComToken}}"{{platformsExtra}} }
          repos:
            - { repository: org/app, platform: slack, webhook: "http://127.0.0.1:9/unused" }
          users:
            alice: { slack: U0ALICE, feishu: ou_alice, dingtalk: dALICE, wecom: wALICE }
        """;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
    }

    private async Task<TestApp> StartAsync(string yaml, string? prefix = null)
    {
        var app = await TestApp.StartAsync(azurite, yaml, prefix: prefix, time: _time);
        _apps.Add(app);
        return app;
    }

    private static Task<ResponseRecord?> AliceOnPrAsync(TestApp app) =>
        app.Services.GetRequiredService<ResponseStore>().GetAsync(Pr, "alice", CancellationToken.None);

    private static async Task<ChatBinding?> BindingOfAsync(TestApp app, string platform, string login) =>
        await app.Services.GetRequiredService<BindingStore>().GetByLoginAsync(platform, login, CancellationToken.None);

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string because)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{because}: expected 401, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Slack_SameSignedRequestAgainInsideFiveMinutes_IsRefused_AndDoesNothing()
    {
        var app = await StartAsync(Yaml());
        var ack = ChatRequests.Slack(SlackSecret, _time.GetUtcNow(), "U0ALICE", "ack org/app#1");
        var first = await ack.SendAsync(app.Http);
        Assert.Contains("Acknowledged org/app#1", await first.Content.ReadAsStringAsync());
        Assert.Equal(Start, (await AliceOnPrAsync(app))!.AckedAt);

        _time.Advance(TimeSpan.FromMinutes(2));
        await AssertRefusedAsync(await ack.SendAsync(app.Http), "a replay two minutes later");
        Assert.Equal(Start, (await AliceOnPrAsync(app))!.AckedAt); // not acknowledged again at the replay's time

        // A new request, signed now, still works.
        var again = await ChatRequests.Slack(SlackSecret, _time.GetUtcNow(), "U0ALICE", "ack org/app#1").SendAsync(app.Http);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(Start.AddMinutes(2), (await AliceOnPrAsync(app))!.AckedAt);
    }

    [Fact]
    public async Task Slack_ReplayToAnotherInstanceOnTheSameStorage_IsRefused()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var one = await StartAsync(Yaml(), prefix);
        var two = await StartAsync(Yaml(), prefix);
        var ack = ChatRequests.Slack(SlackSecret, _time.GetUtcNow(), "U0ALICE", "ack org/app#1");
        Assert.Equal(HttpStatusCode.OK, (await ack.SendAsync(one.Http)).StatusCode);
        await AssertRefusedAsync(await ack.SendAsync(two.Http), "the same request sent to the second instance");
    }

    [Fact]
    public async Task DingTalk_HeaderOnlySignature_IsRefusedByDefault_SoASwappedBodyIsToo()
    {
        var app = await StartAsync(Yaml());
        var genuine = ChatRequests.DingTalk(DingTalkSecret, _time.GetUtcNow(), "dALICE", "ack org/app#1");
        var refused = await genuine.SendAsync(app.Http);
        await AssertRefusedAsync(refused, "a DingTalk command without a body-covering mode");
        Assert.Contains("acceptUnsignedBody", await refused.Content.ReadAsStringAsync());

        var swapped = genuine.WithBody(ChatRequests.DingTalkBody("dMALLORY", "bind github bob"));
        await AssertRefusedAsync(await swapped.SendAsync(app.Http), "the captured headers with another body");
        Assert.Null(await BindingOfAsync(app, "dingtalk", "bob"));
        Assert.Null(await AliceOnPrAsync(app));
    }

    [Fact]
    public async Task WeCom_PlaintextMode_IsRefusedByDefault_SoASwappedBodyIsToo()
    {
        var app = await StartAsync(Yaml());
        var genuine = ChatRequests.WeComPlain(WeComToken, _time.GetUtcNow(), "n0nce1", "wALICE", "ack org/app#1");
        await AssertRefusedAsync(await genuine.SendAsync(app.Http), "a WeCom plaintext-mode command");

        var swapped = genuine.WithBody(ChatRequests.WeComMessage("wMALLORY", "bind github bob"));
        await AssertRefusedAsync(await swapped.SendAsync(app.Http), "the captured query with another body");
        Assert.Null(await BindingOfAsync(app, "wecom", "bob"));
        Assert.Null(await AliceOnPrAsync(app));
    }

    [Fact]
    public async Task Feishu_VerificationTokenOnly_CommandsAreRefusedByDefault_ButTheUrlChallengeIsAnswered()
    {
        var app = await StartAsync(Yaml());
        var command = ChatRequests.FeishuToken(FeishuToken, "ev-1", "ou_alice", "ack org/app#1");
        await AssertRefusedAsync(await command.SendAsync(app.Http), "a Feishu command authenticated by the static token alone");
        await AssertRefusedAsync(await command.SendAsync(app.Http), "its replay");
        Assert.Null(await AliceOnPrAsync(app));

        var challenge = new ChatRequest("/api/chat/feishu/events", new Dictionary<string, string>(),
            ChatRequests.Json(new System.Text.Json.Nodes.JsonObject { ["type"] = "url_verification", ["token"] = FeishuToken, ["challenge"] = "c-123" }),
            "application/json");
        var answer = await challenge.SendAsync(app.Http);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("c-123", await answer.Content.ReadAsStringAsync());
    }
}
