using System.Net.Http.Json;
using System.Text.Json;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitHub;

namespace ReviewBot.Tests.Reminders.Analysis;

/// <summary><c>GET /api/reminders</c> on the real app (Azurite) against the fake GitHub holding the fixture's pull requests.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReminderEndpointTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Token = "ghp_reminders_endpoint_token";
    private FakeGitHubServer _github = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHubServer.StartAsync();
        _github.PersonalAccessToken = Token;
        foreach (var node in ReminderFixtures.GitHubNodes()) _github.AddOpenPullNode("acme", "widgets", node);
        _github.AddTeam("acme", "backend", "carol", "erin", "frank");
        _app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, new Dictionary<string, string?>
        {
            ["ReviewBot:GitHub:ApiUrl"] = _github.ApiUrl.ToString(),
            ["ReviewBot:GitHub:Token"] = Token,
            ["ReviewBot:Reminders:Repositories:0"] = "github:acme/widgets",
            ["ReviewBot:Reminders:Repositories:1"] = "github:acme/missing",
            ["ReviewBot:Reminders:Analysis:CiOwners:0"] = "ci-oncall",
            ["ReviewBot:Reminders:Analysis:Mergers:0"] = "lead",
            ["ReviewBot:Reminders:Analysis:MergeabilityRecheckDelay"] = "00:00:00",
            ["ReviewBot:Reminders:Analysis:CacheDuration"] = "00:10:00",
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _github.DisposeAsync();
    }

    // The app runs on the system clock: the fixture's dates lie in the past, so "CI pending for more than an hour" holds.
    [Fact]
    public async Task ListsWhoBlocksEachOpenPullRequestAndServesItFromCache()
    {
        using var response = await _app.Http.GetAsync("/api/reminders");
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        var pulls = json.GetProperty("pullRequests").EnumerateArray().ToDictionary(p => p.GetProperty("number").GetInt32());
        Assert.Equal(12, pulls.Count);
        string Reason(int n) => pulls[n].GetProperty("reason").GetString()!;
        string[] BlockedOn(int n) => [.. pulls[n].GetProperty("blockedOn").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal("draft", Reason(1));
        Assert.Equal("mergeConflict", Reason(2));
        Assert.Equal("failingCi", Reason(3));
        Assert.Equal(["test", "ci/lint"], pulls[3].GetProperty("details").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("ciStuck", Reason(4));
        Assert.Equal(["ci-oncall"], BlockedOn(4));
        Assert.Equal("changesRequested", Reason(5));
        Assert.Equal("reReviewNeeded", Reason(6));
        Assert.Equal(["carol"], BlockedOn(6));
        Assert.Equal("reviewRequested", Reason(7));
        Assert.Equal(["carol", "frank"], BlockedOn(7));
        Assert.Equal("readyToMerge", Reason(8));
        Assert.Equal(["lead"], BlockedOn(8));
        Assert.Equal("behindBase", Reason(9));
        Assert.Equal("undetermined", Reason(10));

        var eight = pulls[8];
        Assert.Equal("github:acme/widgets", eight.GetProperty("repo").GetString());
        Assert.Equal("Ready to go", eight.GetProperty("title").GetString());
        Assert.Equal("https://github.com/acme/widgets/pull/8", eight.GetProperty("url").GetString());
        Assert.Equal("alice", eight.GetProperty("author").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 11, 0, 0, TimeSpan.Zero), eight.GetProperty("since").GetDateTimeOffset());

        var error = Assert.Single(json.GetProperty("errors").EnumerateArray());
        Assert.Equal("acme/missing", error.GetProperty("repository").GetString());

        var requests = _github.GraphQLRequests;
        using var again = await _app.Http.GetAsync("/api/reminders");
        again.EnsureSuccessStatusCode();
        Assert.Equal(requests, _github.GraphQLRequests);
    }
}
