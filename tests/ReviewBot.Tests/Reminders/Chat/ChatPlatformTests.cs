using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Reminders;
using ReviewBot.Functions.Reminders.Chat;
using ReviewBot.Functions.Reminders.Chat.DingTalk;
using ReviewBot.Functions.Reminders.Chat.Feishu;
using ReviewBot.Functions.Reminders.Chat.Slack;
using ReviewBot.Functions.Reminders.Chat.WeCom;

namespace ReviewBot.Tests.Reminders.Chat;

public sealed class ChatPlatformTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 3, 3, 9, 30, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private FakeChatServer _server = null!;
    private ChatRateLimits _limits = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeChatServer.StartAsync(() => _time.GetUtcNow());
        _limits = new ChatRateLimits(_time);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
    }

    private IChatPlatform Platform(string name, NoticeTemplates? templates = null)
    {
        var http = new PlainHttpClientFactory();
        templates ??= new NoticeTemplates();
        return name switch
        {
            "feishu" or "lark" => new FeishuPlatform(name, http, templates, _limits, _time),
            "dingtalk" => new DingTalkPlatform(http, templates, _limits, _time),
            "slack" => new SlackPlatform(http, templates, _limits, _time),
            _ => new WeComPlatform(http, templates, _limits, _time),
        };
    }

    internal static Notice Digest(DateTimeOffset now, params (string Login, string? ChatId, int Number)[] people) => new(
        NoticeKind.Digest,
        "Pull requests waiting on you",
        [.. people.Select(p => new NoticeSection(new NoticeRecipient(p.Login, p.ChatId),
            [new NoticeItem($"org/app#{p.Number}", $"Fix <thing> & [stuff] {p.Number}", $"https://github.com/org/app/pull/{p.Number}",
                BlockReason.ReviewRequested, now.AddDays(-2), ["ci: build"])]))],
        [],
        now);

    [Theory]
    [InlineData("feishu", "ou_alice", "ou_alice")]
    [InlineData("lark", "ou_alice", "ou_alice")]
    [InlineData("dingtalk", "alice01", "alice01")]
    [InlineData("dingtalk", "13800001111", "13800001111")]
    [InlineData("slack", "U024BE7LH", "U024BE7LH")]
    [InlineData("wecom", "alice", "alice")]
    public async Task SendAsync_PostsWhatThePlatformAccepts_MentioningBoundPeopleAndNamingOthers(string platform, string chatId, string expectedMention)
    {
        _server.Secrets["g1"] = "SECsecret";
        var target = new ChatTarget(platform, _server.WebhookUrl(platform, "g1"), platform is "feishu" or "lark" or "dingtalk" ? "SECsecret" : null);

        await Platform(platform).SendAsync(target, Digest(_time.GetUtcNow(), ("alice", chatId, 1), ("bob", null, 2)), CancellationToken.None)
            .WaitAsync(Timeouts.Short);

        var message = Assert.Single(_server.Accepted);
        Assert.Equal([expectedMention], message.Mentions);
        Assert.Contains("bob", message.Text);
        Assert.Contains("org/app#1", message.Text);
        Assert.Contains("https://github.com/org/app/pull/2", message.Text);
        Assert.Contains("review requested", message.Text);
        Assert.Contains("2d", message.Text);
        if (platform == "dingtalk")
            Assert.Contains(chatId, message.Body["at"]![chatId.StartsWith('1') ? "atMobiles" : "atUserIds"]!.AsArray().Select(n => n!.GetValue<string>()));
        if (platform == "slack")
            Assert.Contains("<@U024BE7LH>", message.Body["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("feishu", 19021)]
    [InlineData("dingtalk", 310000)]
    public async Task SendAsync_WithTheWrongSecret_SurfacesTheErrorThePlatformReturnsAsHttp200(string platform, int code)
    {
        _server.Secrets["g2"] = "SECright";
        var target = new ChatTarget(platform, _server.WebhookUrl(platform, "g2"), "SECwrong");

        var e = await Assert.ThrowsAsync<ChatPlatformException>(() =>
            Platform(platform).SendAsync(target, Digest(_time.GetUtcNow(), ("alice", "x1", 1)), CancellationToken.None).WaitAsync(Timeouts.Short));

        Assert.Equal(code, e.Code);
        Assert.Single(_server.Messages);
    }

    [Fact]
    public async Task SendAsync_FeishuTimestampOutsideTheHour_IsRefused()
    {
        _server.Secrets["g3"] = "s";
        var behind = new FakeTimeProvider(Start.AddHours(-2));
        var stale = new FeishuPlatform("feishu", new PlainHttpClientFactory(), new NoticeTemplates(), _limits, behind);

        var e = await Assert.ThrowsAsync<ChatPlatformException>(() => stale.SendAsync(
            new ChatTarget("feishu", _server.WebhookUrl("feishu", "g3"), "s"), Digest(Start, ("a", null, 1)), CancellationToken.None).WaitAsync(Timeouts.Short));
        Assert.Equal(19021, e.Code);
    }

    [Fact]
    public async Task SendAsync_LongDigests_StayWithinEachPlatformsSizeLimits()
    {
        var people = Enumerable.Range(1, 120).Select(i => ($"user{i}", (string?)$"U{i:D6}", i)).ToArray();
        foreach (var platform in new[] { "feishu", "dingtalk", "slack", "wecom" })
        {
            await Platform(platform).SendAsync(new ChatTarget(platform, _server.WebhookUrl(platform, "big"), null),
                Digest(Start, people), CancellationToken.None).WaitAsync(Timeouts.Short);
        }

        Assert.Equal(4, _server.Accepted.Count);
        Assert.Contains("cut", _server.Accepted.Single(m => m.Platform == "wecom").Text);
    }

    [Fact]
    public async Task SendAsync_SlackRefusal_IsAnError()
    {
        // An empty title and no sections: Slack refuses a message without text.
        var e = await Assert.ThrowsAsync<ChatPlatformException>(() => Platform("slack").SendAsync(
            new ChatTarget("slack", _server.WebhookUrl("slack", "g"), null), new Notice(NoticeKind.Digest, "", [], [], Start), CancellationToken.None)
            .WaitAsync(Timeouts.Short));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public async Task SendAsync_BeyondFeishusFivePerSecond_WaitsForTheClock()
    {
        var feishu = Platform("feishu");
        var target = new ChatTarget("feishu", _server.WebhookUrl("feishu", "rate"), null);
        for (var i = 0; i < 5; i++)
            await feishu.SendAsync(target, Digest(Start, ("a", null, i)), CancellationToken.None).WaitAsync(Timeouts.Short);

        var sixth = feishu.SendAsync(target, Digest(Start, ("a", null, 6)), CancellationToken.None);
        // The sixth waits on a timer of the fake clock, which has not moved: only advancing it lets the message through.
        Assert.False(sixth.IsCompleted);
        Assert.Equal(5, _server.Accepted.Count);

        _time.Advance(TimeSpan.FromSeconds(1));
        await sixth.WaitAsync(Timeouts.Short);
        Assert.Equal(6, _server.Accepted.Count);
    }

    [Fact]
    public void Templates_OverrideOnePlatformAndKind()
    {
        var custom = NoticeTemplates.TryParse("{% for s in sections %}{{ s.who }}:{{ s.items.size }};{% endfor %}", out _)!;
        var templates = new NoticeTemplates(new Dictionary<(string, NoticeKind), Fluid.IFluidTemplate> { [("slack", NoticeKind.Digest)] = custom });
        var slack = (ChatPlatformBase)Platform("slack", templates);
        var wecom = (ChatPlatformBase)Platform("wecom", templates);
        var notice = Digest(Start, ("alice", "U1", 1), ("bob", null, 2));

        Assert.Equal("<@U1>:1;bob:1;", slack.Render(notice));
        Assert.StartsWith("**Pull requests waiting on you**", wecom.Render(notice));
        Assert.Null(NoticeTemplates.TryParse("{% for x in %}", out var error));
        Assert.NotNull(error);
    }
}
