using ReviewBot.Core.Review.Diffs;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitHub;
using static ReviewBot.Tests.CodeHosts.GitHub.Reporting.GitHubReportingHarness;

namespace ReviewBot.Tests.CodeHosts.GitHub.Reporting;

/// <summary>Suggested fixes end to end: a real <c>shfmt -d</c> run by a real agent, its fixes posted as suggestions
/// GitHub can commit, and the one outside the diff listed in the check run's summary.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitHubSuggestionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Config = """
        linters:
          shfmt:
            languages: [".sh"]
            command: ["shfmt"]
            args: ["-d", "{files}"]
            format: diff
            filter: file
            failOn: none
            nodeLabels: "linux"
            timeout: 00:01:00
        """;

    /// <summary>Line 2 is badly formatted in the base already, out of the change's reach.</summary>
    private const string BaseText = "#!/bin/sh\necho  \"start\"\necho a\necho b\necho c\necho d\necho e\necho done\n";

    /// <summary>The change appends lines 9–11; line 10 is not indented.</summary>
    private const string HeadText = BaseText + "if [ -f x ]; then\necho yes\nfi\n";

    private GitRepo _repo = null!;
    private GitHubReportingHarness? _h;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(new Dictionary<string, string> { ["scripts/build.sh"] = BaseText }, new Dictionary<string, string?> { ["scripts/build.sh"] = HeadText });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task AFormattersFix_OnTheChange_IsASuggestionGitHubCanCommit_AndOneOutsideTheDiffIsInTheSummary()
    {
        _h = await GitHubReportingHarness.StartAsync(azurite, _repo, Config);
        var id = (await _h.DeliverAsync()).Single();
        await _h.ReportedAsync(id);

        var comment = Assert.Single(_h.GitHub.Comments(Owner, Name, Number), c => FingerprintMarker.TryRead(c.Body, out _, out _));
        Assert.Equal(("scripts/build.sh", 10, (int?)null, "RIGHT"), (comment.Path, comment.Line, comment.StartLine, comment.Side));
        Assert.Equal(["\techo yes\n"], FakeGitHubServer.Suggestions(comment.Body));
        Assert.Equal(HeadText.Replace("\necho yes\n", "\n\techo yes\n", StringComparison.Ordinal), FakeGitHubServer.CommitSuggestion(comment, HeadText));

        var run = Assert.Single(_h.GitHub.CheckRuns(Owner, Name));
        Assert.Contains("1 suggested fix not shown as line comments", run.OutputSummary);
        Assert.Contains("`scripts/build.sh` line 2, replaced by:\n```\necho \"start\"\n```", run.OutputSummary);
    }
}
