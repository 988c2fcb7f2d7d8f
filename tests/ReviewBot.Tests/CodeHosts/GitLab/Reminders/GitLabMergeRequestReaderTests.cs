using ReviewBot.Functions.Reminders;
using ReviewBot.Functions.Reminders.Analysis;
using ReviewBot.Tests.Reminders.Analysis;

namespace ReviewBot.Tests.CodeHosts.GitLab.Reminders;

public sealed class GitLabMergeRequestReaderTests
{
    private static readonly ReminderAnalysisOptions NoDelay = new() { MergeabilityRecheckDelay = TimeSpan.Zero };

    [Fact]
    public async Task ReadsEveryPageAndMapsEachMergeRequestAsTheFixtureSays()
    {
        await using var h = await GitLabReaderHarness.StartAsync(NoDelay);
        h.GitLab.MaxPerPage = 3;
        h.SeedFixture();

        var pulls = await h.Reader.ListOpenAsync("acme/platform/web", CancellationToken.None).WithTimeout(Timeouts.Short, "the listing");

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], pulls.Select(p => p.Number));
        Assert.Equal(3, h.GitLab.Requests.Count(r => r.PathAndQuery.StartsWith("/api/v4/projects/acme%2Fplatform%2Fweb/merge_requests?state=opened", StringComparison.Ordinal)));
        foreach (var pr in pulls.Where(p => p.Number != 8))
            Assert.Equal(BlockingAnalysis.Analyze(ReminderFixtures.GitLab(pr.Number), BlockingRules.Default, ReminderFixtures.Now),
                BlockingAnalysis.Analyze(pr, BlockingRules.Default, ReminderFixtures.Now), BlockingComparer.Instance);
        // failed jobs only for the failed pipeline; notes only where changes were requested
        Assert.Single(h.GitLab.Requests, r => r.PathAndQuery.Contains("/jobs", StringComparison.Ordinal) && r.PathAndQuery.Contains("/pipelines/2003/", StringComparison.Ordinal));
        Assert.DoesNotContain(h.GitLab.Requests, r => r.PathAndQuery.Contains("/pipelines/2001/", StringComparison.Ordinal));
        Assert.Equal(["/api/v4/projects/acme%2Fplatform%2Fweb/merge_requests/4/notes"], h.GitLab.Requests.Where(r => r.PathAndQuery.Contains("/notes", StringComparison.Ordinal)).Select(r => r.PathAndQuery.Split('?')[0]));
        Assert.Equal(BlockReason.Undetermined, BlockingAnalysis.Analyze(pulls.Single(p => p.Number == 8), BlockingRules.Default, ReminderFixtures.Now).Reason);
    }

    [Fact]
    public async Task CheckingMergeStatusIsReadAgainAfterTheDelay()
    {
        await using var h = await GitLabReaderHarness.StartAsync();
        var seeded = h.SeedFixture();
        seeded.Single(m => m.Iid == 8).ComputeMergeStatusAfterNextRead("mergeable");
        var waiting = h.Time.TimerCreated(TimeSpan.FromSeconds(3));

        var listing = h.Reader.ListOpenAsync("acme/platform/web", CancellationToken.None);
        await waiting.WithTimeout(Timeouts.Short, "the reader to wait before re-reading");
        Assert.False(listing.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(3));
        var pulls = await listing.WithTimeout(Timeouts.Short, "the listing");

        var pr = pulls.Single(p => p.Number == 8);
        Assert.Equal(Mergeability.Mergeable, pr.Mergeability);
        Assert.Equal(2, h.GitLab.Requests.Count(r => r.PathAndQuery == "/api/v4/projects/acme%2Fplatform%2Fweb/merge_requests/8"));
    }

    [Fact]
    public async Task UnknownProjectFailsWithGitLabsMessage()
    {
        await using var h = await GitLabReaderHarness.StartAsync(NoDelay);
        var e = await Assert.ThrowsAsync<ReviewBot.Functions.CodeHosts.GitLab.Api.GitLabApiException>(() => h.Reader.ListOpenAsync("acme/none", CancellationToken.None).WithTimeout(Timeouts.Short, "the listing"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, e.Status);
    }

    /// <summary>Blockings compared by what the dashboard shows (the snapshots themselves hold lists, compared by reference).</summary>
    private sealed class BlockingComparer : IEqualityComparer<Blocking>
    {
        public static readonly BlockingComparer Instance = new();

        public bool Equals(Blocking? x, Blocking? y) =>
            x is not null && y is not null && x.PullRequest.Number == y.PullRequest.Number && x.Reason == y.Reason && x.Since == y.Since
            && x.BlockedOn.SequenceEqual(y.BlockedOn) && x.Details.SequenceEqual(y.Details);

        public int GetHashCode(Blocking obj) => HashCode.Combine(obj.PullRequest.Number, obj.Reason);
    }
}
