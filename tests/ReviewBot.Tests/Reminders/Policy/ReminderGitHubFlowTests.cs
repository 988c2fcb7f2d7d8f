using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Reminders.Policy;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitHub;
using ReviewBot.Tests.Reminders.Analysis;
using ReviewBot.Tests.Reminders.Chat;

namespace ReviewBot.Tests.Reminders.Policy;

/// <summary>The reminder engine end to end on its real parts: the fake GitHub holds open pull requests in different
/// states (GraphQL shapes), the app's own analysis reads them, and the digest reaches the fake Slack robot of the
/// repository's group mentioning exactly the people whose move it is.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReminderGitHubFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Token = "ghp_reminder_flow_token";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero)); // a Wednesday
    private FakeGitHubServer _github = null!;
    private FakeChatServer _chat = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHubServer.StartAsync();
        _github.PersonalAccessToken = Token;
        foreach (var node in ReminderFixtures.GitHubNodes()) _github.AddOpenPullNode("acme", "widgets", node);
        _github.AddTeam("acme", "backend", "carol", "erin", "frank");
        _chat = await FakeChatServer.StartAsync(() => _time.GetUtcNow());
        var yaml = $$"""
            reminders:
              policy: { minAge: 1h, minStaleness: 1h, escalateAfter: 3 }
              platforms:
                slack: { signingSecret: "slack-signing-secret-for-tests" }
              repos:
                - { repository: acme/widgets, platform: slack, webhook: "{{_chat.WebhookUrl("slack", "widgets")}}", admins: [lead] }
              users:
                alice: { slack: U0ALICE }
                carol: { slack: U0CAROL }
                lead: { slack: U0LEAD }
            """;
        _app = await TestApp.StartAsync(azurite, yaml, new Dictionary<string, string?>
        {
            ["ReviewBot:GitHub:ApiUrl"] = _github.ApiUrl.ToString(),
            ["ReviewBot:GitHub:Token"] = Token,
            ["ReviewBot:Reminders:Analysis:CiOwners:0"] = "ci-oncall",
            ["ReviewBot:Reminders:Analysis:Mergers:0"] = "lead",
            ["ReviewBot:Reminders:Analysis:MergeabilityRecheckDelay"] = "00:00:00",
        }, time: _time);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _chat.DisposeAsync();
        await _github.DisposeAsync();
    }

    [Fact]
    public async Task ARun_ReadsThePullRequestsFromGitHub_AndMentionsExactlyWhoseMoveItIs()
    {
        var run = await _app.Services.GetRequiredService<ReminderRun>().RunOnceAsync(_time.GetUtcNow(), CancellationToken.None).WaitAsync(Timeouts.Long);

        Assert.Equal(1, run.Sent);
        var digest = Assert.Single(_chat.Accepted, m => m.Group == "widgets");
        // alice: failing CI (#3), changes requested (#5), behind base (#9); carol: re-review (#6), review request via
        // team (#7); lead: the merger of #8. Others whose move it is are named, not mentioned: they have no binding.
        Assert.Equal(["U0ALICE", "U0CAROL", "U0LEAD"], digest.Mentions.Distinct().Order());
        Assert.Contains("bob", digest.Text);        // #2's conflict, author bob
        Assert.Contains("frank", digest.Text);      // #7's team member
        Assert.Contains("ci-oncall", digest.Text);  // #4's stuck CI
        Assert.DoesNotContain("acme/widgets#1", digest.Text); // a draft reminds nobody
        Assert.True(_github.GraphQLRequests > 0);
    }
}
