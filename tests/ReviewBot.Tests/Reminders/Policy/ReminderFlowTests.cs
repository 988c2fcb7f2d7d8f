using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Reminders;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Functions.Reminders.Chat.Slack;
using ReviewBot.Functions.Reminders.Policy;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Reminders.Chat;
using static ReviewBot.Tests.Reminders.Policy.Snapshots;

namespace ReviewBot.Tests.Reminders.Policy;

/// <summary>The whole reminder path in the real app on Azurite: fake blockings → plan → signed messages to fake group robots
/// → responses stored; then a signed Slack <c>snooze</c> and an escalation over simulated days.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReminderFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string SigningSecret = "slack-signing-secret-for-tests";
    private static readonly DateTimeOffset Monday9Utc = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Monday9Utc);
    private readonly FakeBlockingSource _source = new();
    private FakeChatServer _chat = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    private sealed class FakeBlockingSource : IBlockingSource
    {
        public List<Blocking> Blockings { get; set; } = [];

        public Task<IReadOnlyList<Blocking>> AnalyzeAsync(IEnumerable<(string Host, string Repository)> repos, CancellationToken ct)
        {
            var wanted = repos.Select(r => r.Repository).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return Task.FromResult<IReadOnlyList<Blocking>>([.. Blockings.Where(b => wanted.Contains(b.PullRequest.Repository))]);
        }
    }

    public async Task InitializeAsync()
    {
        _chat = await FakeChatServer.StartAsync(() => _time.GetUtcNow());
        _chat.Secrets["mobile"] = "SECfeishu";
        var yaml = $$"""
            reminders:
              policy: { minAge: 4h, minStaleness: 1d, escalateAfter: 2 }
              platforms:
                slack: { signingSecret: "{{SigningSecret}}" }
              repos:
                - { repository: org/app, platform: slack, webhook: "{{_chat.WebhookUrl("slack", "app")}}", admins: [lead] }
                - { repository: org/mobile, platform: feishu, webhook: "{{_chat.WebhookUrl("feishu", "mobile")}}", secret: SECfeishu, admins: [lead] }
              users:
                alice: { slack: U0ALICE, feishu: ou_alice }
                bob: { slack: U0BOB }
                lead: { slack: U0LEAD, feishu: ou_lead }
            """;
        var prefix = AzuriteFixture.NewPrefix();
        var configPath = Path.Combine(Path.GetTempPath(), $"reviewbot-{prefix}.yaml");
        await File.WriteAllTextAsync(configPath, yaml);
        string[] args =
        [
            $"--ReviewBot:Storage:ConnectionString={azurite.ConnectionString}", $"--ReviewBot:Storage:Prefix={prefix}",
            $"--ReviewBot:ConfigPath={configPath}", "--Logging:LogLevel:Default=Warning",
        ];
        _app = ReviewBot.Functions.Program.Build(args, b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Services.AddSingleton<TimeProvider>(_time);
            b.Services.AddSingleton<IBlockingSource>(_source);
        });
        await _app.StartAsync().WaitAsync(Timeouts.Long);
        var url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(url), Timeout = Timeouts.Short };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _chat.DisposeAsync();
    }

    private Task<ReminderRunResult> RunAsync() =>
        _app.Services.GetRequiredService<ReminderRun>().RunOnceAsync(_time.GetUtcNow(), CancellationToken.None).WaitAsync(Timeouts.Short);

    private async Task<HttpResponseMessage> SlackCommandAsync(string user, string text, string? signature = null)
    {
        var body = $"token=x&team_id=T1&user_id={user}&command=%2Freviewbot&text={Uri.EscapeDataString(text)}";
        var bytes = Encoding.UTF8.GetBytes(body);
        var ts = _time.GetUtcNow().ToUnixTimeSeconds().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat/slack/events") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Headers.Add("X-Slack-Request-Timestamp", ts);
        request.Headers.Add("X-Slack-Signature", signature ?? SlackSignature.Compute(SigningSecret, ts, bytes));
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task FullRun_MentionsExactlyTheExpectedPeopleInTheExpectedGroups_ThenSnoozeAndEscalationOverDays()
    {
        var old = Monday9Utc.AddDays(-4);
        _source.Blockings =
        [
            Blocked("org/app", 1, BlockReason.ReviewRequested, ["alice", "bob"], old, old),
            Blocked("org/app", 2, BlockReason.FailingCi, ["carol"], old, old, author: "carol"),
            Blocked("org/app", 3, BlockReason.Draft, ["dave"], old, old, author: "dave"),
            Blocked("org/app", 4, BlockReason.ReviewRequested, ["bob"], Monday9Utc.AddHours(-1), Monday9Utc.AddHours(-1)),
            Blocked("org/mobile", 5, BlockReason.ReadyToMerge, ["alice"], old, old),
            Blocked("org/mobile", 6, BlockReason.ChangesRequested, ["erin"], old, Monday9Utc.AddHours(-2), author: "erin"),
        ];

        // Monday: one digest per group.
        var monday = await RunAsync();
        Assert.Equal(2, monday.Sent);
        var app = Assert.Single(_chat.Accepted, m => m.Group == "app");
        Assert.Equal(["U0ALICE", "U0BOB"], app.Mentions.Order());
        Assert.Contains("carol", app.Text);             // unbound: named, not mentioned
        Assert.DoesNotContain("org/app#3", app.Text);   // draft
        Assert.DoesNotContain("org/app#4", app.Text);   // too young
        var mobile = Assert.Single(_chat.Accepted, m => m.Group == "mobile");
        Assert.Equal(["ou_alice"], mobile.Mentions);
        Assert.DoesNotContain("org/mobile#6", mobile.Text); // recently active
        var responses = _app.Services.GetRequiredService<ResponseStore>();
        Assert.Equal(1, (await responses.GetAsync(new PullRequestKey("github", "org/app", 1), "bob", CancellationToken.None))!.RemindersSent);

        // Bob snoozes #1 for two days through a signed Slack slash command; a forged one is refused and stores nothing.
        var forged = await SlackCommandAsync("U0BOB", "snooze org/app#1 3d", signature: "v0=" + new string('0', 64));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        var snooze = await SlackCommandAsync("U0BOB", "snooze org/app#1 2d");
        Assert.Equal(HttpStatusCode.OK, snooze.StatusCode);
        Assert.Contains("Snoozed org/app#1 for bob", await snooze.Content.ReadAsStringAsync());
        var help = await SlackCommandAsync("U0BOB", "snoze org/app#1");
        Assert.Contains("bind github <login>", await help.Content.ReadAsStringAsync());

        // Tuesday: bob is snoozed on #1, alice (second reminder) is not; #4 is now old and stale enough for bob.
        _time.Advance(TimeSpan.FromDays(1));
        var before = _chat.Accepted.Count;
        await RunAsync();
        var tuesday = _chat.Accepted.Skip(before).Single(m => m.Group == "app");
        Assert.Equal(["U0ALICE", "U0BOB"], tuesday.Mentions.Order());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(tuesday.Text, "org/app#1>"));
        Assert.Contains("org/app#4", tuesday.Text);

        // Wednesday: alice has had 2 unanswered reminders about org/app#1: the admin is told; bob's snooze is over.
        _time.Advance(TimeSpan.FromDays(1));
        before = _chat.Accepted.Count;
        await RunAsync();
        var wednesday = _chat.Accepted.Skip(before).Where(m => m.Group == "app").ToList();
        Assert.Equal(2, wednesday.Count);
        Assert.Equal(["U0ALICE", "U0BOB"], wednesday[0].Mentions.Order());
        Assert.Contains("unanswered", wednesday[1].Text);
        Assert.Equal("U0LEAD", wednesday[1].Mentions[0]);
        Assert.Contains("U0ALICE", wednesday[1].Mentions);
        var mobileEscalation = _chat.Accepted.Skip(before).Where(m => m.Group == "mobile").ToList();
        Assert.Equal(2, mobileEscalation.Count);
        Assert.Contains("ou_lead", mobileEscalation[1].Mentions);

        // Thursday: escalated once, not again.
        _time.Advance(TimeSpan.FromDays(1));
        before = _chat.Accepted.Count;
        await RunAsync();
        var thursday = Assert.Single(_chat.Accepted.Skip(before), m => m.Group == "app" && m.Text.Contains("unanswered"));
        Assert.Contains("org/app#4", thursday.Text);        // bob's second unanswered reminder about #4 (Tue, Wed)
        Assert.DoesNotContain("org/app#1>", thursday.Text); // alice's and carol's were told on Wednesday
        Assert.DoesNotContain("org/app#2>", thursday.Text);
    }

    [Fact]
    public async Task ChatCommands_BindThenAck_StoreTheBindingAndTheResponse()
    {
        // bind answers a code; the binding counts once it is confirmed (here as an admin would, ChatBindingProofTests has the rest).
        var bind = await SlackCommandAsync("U0NEW", "bind github frank");
        var code = System.Text.RegularExpressions.Regex.Match(await bind.Content.ReadAsStringAsync(), "/reviewbot bind ([A-Z0-9]+)").Groups[1].Value;
        var (bound, _) = await _app.Services.GetRequiredService<BindingProofs>().ConfirmAsync(code, null, null, BindingSources.Admin, CancellationToken.None);
        Assert.Equal("U0NEW", bound!.ChatId);
        var bindings = _app.Services.GetRequiredService<BindingStore>();
        Assert.Equal("U0NEW", (await bindings.GetByLoginAsync("slack", "frank", CancellationToken.None))!.ChatId);

        var ack = await SlackCommandAsync("U0NEW", "ack org/app#42");
        Assert.Contains("Acknowledged org/app#42", await ack.Content.ReadAsStringAsync());
        var record = await _app.Services.GetRequiredService<ResponseStore>().GetAsync(new PullRequestKey("github", "org/app", 42), "frank", CancellationToken.None);
        Assert.Equal(_time.GetUtcNow(), record!.AckedAt);

        _source.Blockings = [Blocked("org/app", 42, BlockReason.ReviewRequested, ["frank"], Monday9Utc.AddDays(-3), Monday9Utc.AddDays(-3))];
        var status = await SlackCommandAsync("U0NEW", "status org/app");
        Assert.Contains("Posted the status of org/app", await status.Content.ReadAsStringAsync());
        var posted = Assert.Single(_chat.Accepted);
        Assert.Contains("org/app#42", posted.Text);
        Assert.Empty(posted.Mentions); // a status names people, it does not ping them
    }
}
