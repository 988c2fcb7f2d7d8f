using ReviewBot.Core.Review.Diffs;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitHub;
using static ReviewBot.Tests.CodeHosts.GitHub.Reporting.GitHubReportingHarness;

namespace ReviewBot.Tests.CodeHosts.GitHub.Reporting;

/// <summary><c>fixed: resolve</c> (the default) end to end: a real shellcheck run; a fixed finding's review thread is
/// resolved through GraphQL on the next push instead of its comment being deleted, and reopened when the finding comes
/// back at the same fingerprint; a thread a person resolved is left as they left it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitHubReviewThreadTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Config = """
        linters:
          shellcheck:
            languages: [".sh"]
            command: ["shellcheck"]
            args: ["-f", "gcc", "{files}"]
            format: gcc
            nodeLabels: "linux"
            timeout: 00:01:00
        """;

    private const string Path = "scripts/build.sh";

    /// <summary>SC2086 on lines 3 and 4.</summary>
    private const string WithBoth = "#!/bin/sh\necho \"building\"\nrm -rf $1/out\ncp $2 /tmp\n";

    private GitRepo _repo = null!;
    private GitHubReportingHarness? _h;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(new Dictionary<string, string> { [Path] = "#!/bin/sh\necho \"building\"\n" }, new Dictionary<string, string?> { [Path] = WithBoth });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
        _repo.Dispose();
    }

    private List<ReviewComment> Mine() =>
        [.. _h!.GitHub.Comments(Owner, Name, Number).Where(c => c.InReplyToId is null && FingerprintMarker.TryRead(c.Body, out _, out _))];

    [Fact]
    public async Task AFixedFindingsThread_IsResolvedOnTheNextPush_AndReopenedWhenTheFindingComesBack()
    {
        _h = await GitHubReportingHarness.StartAsync(azurite, _repo, Config);
        await _h.ReportedAsync((await _h.DeliverAsync()).Single());
        var first = Mine();
        Assert.Equal(2, first.Count);
        var onRm = first.Single(c => c.Line == 3);
        var onCp = first.Single(c => c.Line == 4);
        _h.GitHub.AddHumanReply(onRm.Id, "octocat", "Good catch.");

        // $1 is quoted: its finding is gone.
        var fixedTask = await _h.ReportedAsync((await _h.PushAsync(new Dictionary<string, string?> { [Path] = "#!/bin/sh\necho \"building\"\nrm -rf \"$1\"/out\ncp $2 /tmp\n" })).Single());

        Assert.True(_h.GitHub.ThreadOf(onRm.Id).IsResolved);
        Assert.False(_h.GitHub.ThreadOf(onCp.Id).IsResolved);
        Assert.Empty(_h.GitHub.DeletedCommentIds);
        Assert.Equal(2, Mine().Count); // the comment and its reply stay, nothing is marked outdated or posted again
        Assert.Contains(_h.GitHub.Comments(Owner, Name, Number), c => c.InReplyToId == onRm.Id);
        Assert.Contains("1 resolved", fixedTask.Reporting.Note);

        // The same line comes back: the same fingerprint, so the same thread is reopened rather than a comment posted.
        var backTask = await _h.ReportedAsync((await _h.PushAsync(new Dictionary<string, string?> { [Path] = WithBoth })).Single());

        Assert.False(_h.GitHub.ThreadOf(onRm.Id).IsResolved);
        Assert.Equal([onRm.Id, onCp.Id], Mine().Select(c => c.Id).Order());
        Assert.Equal([("resolve", onRm.Id), ("unresolve", onRm.Id)], _h.GitHub.ThreadMutations);
        Assert.Contains("0 comment(s) posted", backTask.Reporting.Note);
        Assert.Contains("1 reopened", backTask.Reporting.Note);
    }

    [Fact]
    public async Task AThreadAPersonResolved_IsNeitherReopenedNorPostedAgain_WhileItsFindingStays()
    {
        _h = await GitHubReportingHarness.StartAsync(azurite, _repo, Config);
        await _h.ReportedAsync((await _h.DeliverAsync()).Single());
        var onCp = Mine().Single(c => c.Line == 4);
        _h.GitHub.ResolveThreadAs(onCp.Id, "octocat");

        await _h.ReportedAsync((await _h.PushAsync(new Dictionary<string, string?> { [Path] = WithBoth + "echo finished\n" })).Single());

        Assert.Equal(new FakeThreadState(true, "octocat"), _h.GitHub.ThreadOf(onCp.Id));
        Assert.Equal(2, Mine().Count);
        Assert.Empty(_h.GitHub.ThreadMutations);
    }
}
