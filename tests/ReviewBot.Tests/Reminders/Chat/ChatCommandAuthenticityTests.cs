using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Functions.Reminders.Chat.WeCom;
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

    [Fact]
    public async Task DingTalk_AcceptUnsignedBody_EachSignatureIsCarriedOutOnce_SoCapturedHeadersCannotCarryAnotherCommand()
    {
        var app = await StartAsync(Yaml(", acceptUnsignedBody: true"));
        var genuine = ChatRequests.DingTalk(DingTalkSecret, _time.GetUtcNow(), "dALICE", "ack org/app#1");
        var first = await genuine.SendAsync(app.Http);
        Assert.Contains("Acknowledged org/app#1", await first.Content.ReadAsStringAsync());

        _time.Advance(TimeSpan.FromMinutes(30)); // inside DingTalk's hour
        var swapped = genuine.WithBody(ChatRequests.DingTalkBody("dMALLORY", "bind github bob"));
        await AssertRefusedAsync(await swapped.SendAsync(app.Http), "the captured headers with another body");
        await AssertRefusedAsync(await genuine.SendAsync(app.Http), "the captured request as it was");
        Assert.Equal(Start, (await AliceOnPrAsync(app))!.AckedAt);
    }

    [Fact]
    public async Task WeCom_PlaintextModeAccepted_EachSignatureIsCarriedOutOnce()
    {
        var app = await StartAsync(Yaml(", acceptUnsignedBody: true"));
        var genuine = ChatRequests.WeComPlain(WeComToken, _time.GetUtcNow(), "n0nce1", "wALICE", "ack org/app#1");
        Assert.Contains("Acknowledged org/app#1", await (await genuine.SendAsync(app.Http)).Content.ReadAsStringAsync());
        var swapped = genuine.WithBody(ChatRequests.WeComMessage("wMALLORY", "bind github bob"));
        await AssertRefusedAsync(await swapped.SendAsync(app.Http), "the captured query with another body");
    }

    [Fact]
    public async Task WeCom_EncryptedMode_TheSignatureCoversTheMessage_TheReplyIsEncrypted_AndReplaysAreRefused()
    {
        const string AesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        var app = await StartAsync(Yaml().Replace(
            $"wecom: {{ token: \"{WeComToken}\" }}", $"wecom: {{ token: \"{WeComToken}\", encodingAESKey: \"{AesKey}\" }}"));

        // WeCom's URL check when the callback is saved: the signature covers echostr, the answer is its plaintext.
        var ts = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var echo = WeComCrypto.Encrypt("echo-7781", AesKey, "", new byte[16]);
        var check = await app.Http.GetAsync($"/api/chat/wecom/events?msg_signature={WeComCrypto.Signature(WeComToken, ts, "n1", echo)}"
            + $"&timestamp={ts}&nonce=n1&echostr={Uri.EscapeDataString(echo)}");
        Assert.Equal("echo-7781", await check.Content.ReadAsStringAsync());
        var forgedCheck = await app.Http.GetAsync($"/api/chat/wecom/events?msg_signature={new string('0', 40)}&timestamp={ts}&nonce=n1&echostr={Uri.EscapeDataString(echo)}");
        await AssertRefusedAsync(forgedCheck, "a URL check with a wrong signature");

        var genuine = ChatRequests.WeComEncrypted(WeComToken, AesKey, "", _time.GetUtcNow(), "n2", "wALICE", "ack org/app#1");
        var first = await genuine.SendAsync(app.Http);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var answer = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        var encrypted = answer.GetProperty("encrypt").GetString()!;
        Assert.Equal(WeComCrypto.Signature(WeComToken, answer.GetProperty("timestamp").GetString()!, answer.GetProperty("nonce").GetString()!, encrypted),
            answer.GetProperty("msgsignature").GetString());
        var reply = JsonDocument.Parse(WeComCrypto.Decrypt(encrypted, AesKey, "")!).RootElement;
        Assert.Equal("stream", reply.GetProperty("msgtype").GetString());
        Assert.Contains("Acknowledged org/app#1", reply.GetProperty("stream").GetProperty("content").GetString());

        var swapped = genuine.WithBody(ChatRequests.WeComEncrypted(WeComToken, AesKey, "", _time.GetUtcNow(), "n2", "wMALLORY", "bind github bob").Body);
        await AssertRefusedAsync(await swapped.SendAsync(app.Http), "another message under the captured signature");
        await AssertRefusedAsync(await genuine.SendAsync(app.Http), "the captured request as it was");
        var plain = ChatRequests.WeComPlain(WeComToken, _time.GetUtcNow(), "n3", "wMALLORY", "bind github bob");
        await AssertRefusedAsync(await plain.SendAsync(app.Http), "a plaintext message where encryption is configured");
        Assert.Null(await BindingOfAsync(app, "wecom", "bob"));
    }

    [Fact]
    public async Task Feishu_TokenModeAccepted_TheSameEventIsCarriedOutOnce()
    {
        var app = await StartAsync(Yaml(", acceptUnsignedBody: true"));
        var command = ChatRequests.FeishuToken(FeishuToken, "ev-1", "ou_alice", "ack org/app#1");
        Assert.Equal(HttpStatusCode.OK, (await command.SendAsync(app.Http)).StatusCode);
        _time.Advance(TimeSpan.FromHours(3));
        await AssertRefusedAsync(await command.SendAsync(app.Http), "the same event again");
        Assert.Equal(Start, (await AliceOnPrAsync(app))!.AckedAt);
    }

    [Fact]
    public async Task Feishu_EncryptKey_TheSignedRequestAgainIsRefused()
    {
        const string Key = "feishu-encrypt-key";
        var app = await StartAsync(Yaml().Replace($"feishu: {{ verificationToken: \"{FeishuToken}\" }}",
            $"feishu: {{ verificationToken: \"{FeishuToken}\", encryptKey: \"{Key}\" }}"));
        var command = ChatRequests.FeishuSigned(Key, FeishuToken, _time.GetUtcNow(), "nonce-1", "ev-1", "ou_alice", "ack org/app#1");
        Assert.Equal(HttpStatusCode.OK, (await command.SendAsync(app.Http)).StatusCode);
        Assert.Equal(Start, (await AliceOnPrAsync(app))!.AckedAt);

        _time.Advance(TimeSpan.FromMinutes(20));
        await AssertRefusedAsync(await command.SendAsync(app.Http), "the signed request twenty minutes later");
        await AssertRefusedAsync(await command.WithBody(ChatRequests.FeishuEvent(FeishuToken, "ev-2", "ou_alice", "ack org/app#1")).SendAsync(app.Http),
            "another body under the captured signature");
        // Lark shares Feishu's keys: the same request sent to /lark is the same request.
        await AssertRefusedAsync(await (command with { Path = "/api/chat/lark/events" }).SendAsync(app.Http), "the request replayed to the lark endpoint");
        Assert.Equal(Start, (await AliceOnPrAsync(app))!.AckedAt);
    }
}
