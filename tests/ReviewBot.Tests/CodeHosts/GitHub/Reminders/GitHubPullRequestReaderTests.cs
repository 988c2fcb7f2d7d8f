using System.Text.Json.Nodes;
using ReviewBot.Functions.Reminders;
using ReviewBot.Functions.Reminders.Analysis;
using ReviewBot.Tests.Reminders.Analysis;

namespace ReviewBot.Tests.CodeHosts.GitHub.Reminders;

public sealed class GitHubPullRequestReaderTests
{
    private static readonly ReminderAnalysisOptions NoDelay = new() { MergeabilityRecheckDelay = TimeSpan.Zero };

    [Fact]
    public async Task ReadsEveryPageOfOpenPullRequestsAndExpandsEachTeamOnce()
    {
        await using var h = await GitHubReaderHarness.StartAsync(options: NoDelay);
        h.SeedFixture();
        var template = ReminderFixtures.GitHubNodes().Single(n => n["number"]!.GetValue<int>() == 7);
        for (var n = 100; n < 200; n++)
        {
            var copy = (JsonObject)template.DeepClone();
            copy["number"] = n;
            h.GitHub.AddOpenPullNode("acme", "widgets", copy);
        }
        var members = Enumerable.Range(1, 150).Select(i => $"dev{i}").ToArray();
        h.GitHub.AddTeam("acme", "backend", members);

        var pulls = await h.Reader.ListOpenAsync("acme/widgets", CancellationToken.None).WithTimeout(Timeouts.Short, "the listing");

        Assert.Equal(112, pulls.Count);
        Assert.Equal(112, pulls.Select(p => p.Number).Distinct().Count());
        // 3 pages of 50, then PR 10 (mergeable UNKNOWN) read once more
        Assert.Equal(4, h.GitHub.GraphQLRequests);
        // 101 pull requests ask for acme/backend: its 150 members are read once, over two pages of 100
        Assert.Equal(2, h.GitHub.Requests.Count(r => r.Path == "/orgs/acme/teams/backend/members"));
        Assert.All(pulls.Where(p => p.RequestedTeams.Count > 0), p => Assert.Equal(members, p.TeamMembers["acme/backend"]));
        var blocking = BlockingAnalysis.Analyze(pulls.Single(p => p.Number == 150), BlockingRules.Default, ReminderFixtures.Now);
        Assert.Equal(BlockReason.ReviewRequested, blocking.Reason);
        Assert.Equal(["carol", .. members], blocking.BlockedOn);
    }

    [Fact]
    public async Task UnknownMergeabilityIsReadAgainAfterTheDelay()
    {
        await using var h = await GitHubReaderHarness.StartAsync();
        h.SeedFixture();
        h.GitHub.AddTeam("acme", "backend", "frank");
        h.GitHub.ComputeMergeableAfterNextRead("acme", "widgets", 10, "MERGEABLE");
        var waiting = h.Time.TimerCreated(TimeSpan.FromSeconds(3));

        var listing = h.Reader.ListOpenAsync("acme/widgets", CancellationToken.None);
        await waiting.WithTimeout(Timeouts.Short, "the reader to wait before re-reading");
        Assert.Equal(1, h.GitHub.GraphQLRequests);
        Assert.False(listing.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(3));
        var pulls = await listing.WithTimeout(Timeouts.Short, "the listing");

        Assert.Equal(2, h.GitHub.GraphQLRequests);
        var pr = pulls.Single(p => p.Number == 10);
        Assert.Equal(Mergeability.Mergeable, pr.Mergeability);
        Assert.Equal(BlockReason.ReviewRequested, BlockingAnalysis.Analyze(pr, BlockingRules.Default, ReminderFixtures.Now).Reason);
    }

    [Fact]
    public async Task StillUnknownAfterTheReReadIsUndetermined()
    {
        await using var h = await GitHubReaderHarness.StartAsync(options: NoDelay);
        h.SeedFixture();
        h.GitHub.AddTeam("acme", "backend", "frank");

        var pulls = await h.Reader.ListOpenAsync("acme/widgets", CancellationToken.None).WithTimeout(Timeouts.Short, "the listing");

        var pr = pulls.Single(p => p.Number == 10);
        Assert.Equal(Mergeability.Unknown, pr.Mergeability);
        Assert.Equal(BlockReason.Undetermined, BlockingAnalysis.Analyze(pr, BlockingRules.Default, ReminderFixtures.Now).Reason);
        Assert.Equal(2, h.GitHub.GraphQLRequests);
    }

    [Fact]
    public async Task AsAnAppReadsWithTheRepositorysInstallationFoundOnce()
    {
        await using var h = await GitHubReaderHarness.StartAsync(app: true, options: NoDelay);
        h.SeedFixture();
        h.GitHub.AddTeam("acme", "backend", "frank");
        h.GitHub.InstallOn("acme", "widgets", 77);

        var first = await h.Reader.ListOpenAsync("acme/widgets", CancellationToken.None).WithTimeout(Timeouts.Short, "the first listing");
        var second = await h.Reader.ListOpenAsync("acme/widgets", CancellationToken.None).WithTimeout(Timeouts.Short, "the second listing");

        Assert.Equal(12, first.Count);
        Assert.Equal(12, second.Count);
        Assert.Equal(1, h.GitHub.Requests.Count(r => r.Path == "/repos/acme/widgets/installation"));
        Assert.Equal(1, h.GitHub.TokenRequests(77));
        Assert.All(h.GitHub.Requests.Where(r => r.Path == "/graphql"), r => Assert.EndsWith(" ghs_77x1".PadRight(41, 'a'), r.Authorization, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownRepositoryFailsWithGitHubsMessage()
    {
        await using var h = await GitHubReaderHarness.StartAsync(options: NoDelay);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Reader.ListOpenAsync("acme/nothing", CancellationToken.None).WithTimeout(Timeouts.Short, "the listing"));
        Assert.Contains("Could not resolve to a Repository", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.github.com/", "https://api.github.com/graphql")]
    [InlineData("https://ghe.example.com/api/v3/", "https://ghe.example.com/api/graphql")]
    public void GraphQLEndpointFollowsTheApiBase(string api, string graphql) =>
        Assert.Equal(new Uri(graphql), ReviewBot.Functions.CodeHosts.GitHub.Auth.GitHubGraphQL.Endpoint(new Uri(api)));
}
