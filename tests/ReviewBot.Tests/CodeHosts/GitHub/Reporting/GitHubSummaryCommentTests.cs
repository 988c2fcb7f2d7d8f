using ReviewBot.Core.Review;
using ReviewBot.Tests.Infrastructure;
using static ReviewBot.Tests.CodeHosts.GitHub.Reporting.GitHubReportingHarness;

namespace ReviewBot.Tests.CodeHosts.GitHub.Reporting;

/// <summary>One summary comment per pull request across three real linters (shellcheck, shfmt -d, grep for TODOs)
/// through two pushes: created once, edited in place, its counts moving from new to fixed.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitHubSummaryCommentTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Config = """
        linters:
          shellcheck:
            languages: [".sh"]
            command: ["shellcheck"]
            args: ["-f", "gcc", "{files}"]
            format: gcc
            summary: on
            nodeLabels: "linux"
            timeout: 00:01:00
          shfmt:
            languages: [".sh"]
            command: ["shfmt"]
            args: ["-d", "{files}"]
            format: diff
            summary: on
            nodeLabels: "linux"
            timeout: 00:01:00
          todo:
            languages: [".sh"]
            command: ["grep"]
            args: ["-Hn", "TODO", "{files}"]
            format: gcc
            summary: on
            nodeLabels: "linux"
            timeout: 00:01:00
        """;

    private GitRepo _repo = null!;
    private GitHubReportingHarness? _h;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(
            new Dictionary<string, string> { ["scripts/a.sh"] = "#!/bin/sh\n" },
            new Dictionary<string, string?> { ["scripts/a.sh"] = "#!/bin/sh\necho  $1\n# TODO one\n# TODO keep\n" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task TheSummaryAcrossThreeLinters_IsOneCommentEditedInPlace_AndCountsMoveFromNewToFixed()
    {
        _h = await GitHubReportingHarness.StartAsync(azurite, _repo, Config);
        foreach (var id in await _h.DeliverAsync()) await _h.ReportedAsync(id);

        var first = Assert.Single(_h.GitHub.IssueComments(Owner, Name, Number));
        Assert.True(PullRequestSummary.IsSummary(first.Body));
        Assert.Contains("**4 new**, 0 fixed, 0 outstanding findings.", first.Body);
        Assert.Contains("| todo |", first.Body);

        // shellcheck's finding is fixed, shfmt's line changes (a new finding for the old one), one TODO goes, one stays.
        foreach (var id in await _h.PushAsync(new Dictionary<string, string?> { ["scripts/a.sh"] = "#!/bin/sh\necho  \"$1\"\n# TODO keep\n" }))
            await _h.ReportedAsync(id);

        var after = Assert.Single(_h.GitHub.IssueComments(Owner, Name, Number));
        Assert.Equal(first.Id, after.Id);
        Assert.True(after.Edits >= 3, $"edited {after.Edits} time(s)");
        Assert.Contains($"At `{_repo.HeadSha[..7]}`: **1 new**, 3 fixed, 1 outstanding findings.", after.Body);
        Assert.Contains("| shellcheck | [success]", after.Body);
    }
}
