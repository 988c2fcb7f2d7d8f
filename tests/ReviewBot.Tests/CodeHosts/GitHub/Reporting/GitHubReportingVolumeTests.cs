using ReviewBot.Tests.Infrastructure;
using static ReviewBot.Tests.CodeHosts.GitHub.Reporting.GitHubReportingHarness;

namespace ReviewBot.Tests.CodeHosts.GitHub.Reporting;

/// <summary>A pull request with 300 findings, end to end: everything reported, within GitHub's limits.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitHubReportingVolumeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int N = 300;

    /// <summary>A linter (awk) that reports one warning per line of every changed .txt file.</summary>
    private const string Config = """
        linters:
          values:
            languages: [".txt"]
            command: ['awk', '{ printf "%s:%d:1: warning: value %s is odd [W1]\n", FILENAME, FNR, $0 }']
            args: ["{files}"]
            format: gcc
            nodeLabels: "linux"
        """;

    private GitRepo _repo = null!;
    private GitHubReportingHarness? _h;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(new Dictionary<string, string> { ["README.md"] = "# values\n" },
            new Dictionary<string, string?> { ["data/values.txt"] = string.Concat(Enumerable.Range(1, N).Select(i => $"v{i}\n")) });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task ThreeHundredFindings_AreAllAnnotatedAndCommented_InBatchesGitHubAccepts_WithinTheWriteBudget()
    {
        var h = _h = await StartAsync(azurite, _repo, Config);
        var task = await h.ReportedAsync((await h.DeliverAsync()).Single());

        Assert.Equal(N, task.FindingCount);
        Assert.Null(task.Reporting.Error);
        var run = Assert.Single(h.GitHub.CheckRuns(Owner, Name));
        Assert.Equal(("completed", "neutral"), (run.Status, run.Conclusion));
        Assert.Equal(Enumerable.Range(1, N), run.Annotations.Select(a => a.StartLine).Order());

        var reviews = h.GitHub.Reviews(Owner, Name, Number);
        Assert.Equal(N / 30, reviews.Count);
        Assert.All(reviews, r => Assert.InRange(r.Comments.Count, 1, 30));
        Assert.Equal(Enumerable.Range(1, N), reviews.SelectMany(r => r.Comments).Select(c => c.Line ?? 0).Order());

        Assert.Equal(0, h.GitHub.SecondaryLimitHits);
        var budget = (N + 29) / 30 + (N + 49) / 50 + 3;
        Assert.InRange(h.GitHub.WriteRequests(Owner, Name, Number), 1, budget);
    }
}
