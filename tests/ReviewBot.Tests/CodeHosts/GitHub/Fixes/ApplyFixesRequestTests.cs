using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReviewBot.Tests.CodeHosts.GitHub.Reporting;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitHub;
using static ReviewBot.Tests.CodeHosts.GitHub.Reporting.GitHubReportingHarness;

namespace ReviewBot.Tests.CodeHosts.GitHub.Fixes;

/// <summary>"Apply fixes" end to end: a real <c>shfmt -d</c> run by a real agent reports two fixes, the check run offers
/// the button, and a click (a signed <c>check_run.requested_action</c> delivery) commits them through the fake GitHub's
/// Git Data API — or is refused, visibly, for a reader, a fork and a moved head.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApplyFixesRequestTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Config = """
        linters:
          shfmt:
            languages: [".sh"]
            command: ["shfmt"]
            args: ["-d", "{files}"]
            format: diff
            failOn: none
            nodeLabels: "linux"
            timeout: 00:01:00
        """;

    private const string Path = "scripts/build.sh";
    private const string BaseText = "#!/bin/sh\necho start\n";

    /// <summary>Two unindented bodies, far enough apart for shfmt to print two hunks.</summary>
    private const string HeadText = BaseText + "if [ -f x ]; then\necho yes\nfi\necho 1\necho 2\necho 3\necho 4\necho 5\necho 6\necho 7\nif [ -f y ]; then\necho no\nfi\n";

    private const string FixedText = BaseText + "if [ -f x ]; then\n\techo yes\nfi\necho 1\necho 2\necho 3\necho 4\necho 5\necho 6\necho 7\nif [ -f y ]; then\n\techo no\nfi\n";

    private GitRepo _repo = null!;
    private GitHubReportingHarness? _h;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(new Dictionary<string, string> { [Path] = BaseText }, new Dictionary<string, string?> { [Path] = HeadText });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
        _repo.Dispose();
    }

    /// <summary>The run reported and its check run; the fake's object store holds the head commit and the branch.</summary>
    private async Task<FakeCheckRun> ReportedRunAsync()
    {
        _h = await GitHubReportingHarness.StartAsync(azurite, _repo, Config);
        _h.GitHub.SeedCommit(_repo.BaseSha, new Dictionary<string, string> { [Path] = BaseText }, mode: "100755");
        _h.GitHub.SeedCommit(_repo.HeadSha, new Dictionary<string, string> { [Path] = HeadText, ["README.md"] = "hello\n" }, parent: _repo.BaseSha, mode: "100755");
        _h.GitHub.SetRef(Owner, Name, "heads/feature", _repo.HeadSha);
        var id = (await _h.DeliverAsync()).Single();
        await _h.ReportedAsync(id);
        return Assert.Single(_h.GitHub.CheckRuns(Owner, Name));
    }

    /// <summary>A click on the run's button by <paramref name="login"/>, as GitHub delivers it; returns the answer's status and message.</summary>
    private async Task<(string Status, string Message)> ClickAsync(FakeCheckRun run, string login, string identifier = "apply-fixes")
    {
        var json = Deliveries.Load("check_run.rerequested");
        json["action"] = "requested_action";
        json["requested_action"] = new JsonObject { ["identifier"] = identifier };
        json["repository"]!["full_name"] = Repository;
        json["check_run"]!["id"] = run.Id;
        json["check_run"]!["name"] = run.Name;
        json["check_run"]!["head_sha"] = run.HeadSha;
        json["check_run"]!["external_id"] = run.ExternalId;
        json["sender"]!["login"] = login;
        var response = await _h!.App.PostDeliveryAsync("check_run", Encoding.UTF8.GetBytes(json.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (answer.GetProperty("status").GetString()!, answer.GetProperty("message").GetString()!);
    }

    private string LastComment() => _h!.GitHub.IssueComments(Owner, Name, Number)[^1].Body;

    [Fact]
    public async Task AWritersClick_CommitsEveryFixAsOneCommitOnTheBranch_ListingTheRules()
    {
        var run = await ReportedRunAsync();
        Assert.Equal([new FakeCheckRunAction("Apply 2 fixes", "Commit them to the pull request branch", "apply-fixes")], run.Actions);
        _h!.GitHub.SetPermission(Owner, Name, "maintainer", "maintain");

        var (status, message) = await ClickAsync(run, "maintainer");

        Assert.Equal("applied", status);
        var sha = _h.GitHub.Ref(Owner, Name, "heads/feature")!;
        Assert.NotEqual(_repo.HeadSha, sha);
        Assert.Contains(sha, message);
        var commit = _h.GitHub.GitCommit(sha)!;
        Assert.Equal([_repo.HeadSha], commit.Parents);
        Assert.Equal(FixedText, _h.GitHub.FileAt(sha, Path));
        Assert.Equal("100755", _h.GitHub.ModeAt(sha, Path));
        Assert.Equal("hello\n", _h.GitHub.FileAt(sha, "README.md"));
        Assert.StartsWith("Apply 2 shfmt fixes\n\nRules fixed:\n- ", commit.Message);
        Assert.Contains("×2", commit.Message);
        Assert.Contains("@maintainer", commit.Message);
        Assert.Equal(_h.GitHub.AppBotLogin, commit.AuthorName);
        Assert.Contains($"committed 2 fixes of **shfmt** as {sha}", LastComment());
        Assert.Empty(Assert.Single(_h.GitHub.CheckRuns(Owner, Name)).Actions);
    }

    [Fact]
    public async Task AReadersClick_AndAClickOnAForksPullRequest_AreRefused_WithTheReasonOnThePullRequest()
    {
        var run = await ReportedRunAsync();
        _h!.GitHub.SetPermission(Owner, Name, "passerby", "read");
        _h.GitHub.SetPermission(Owner, Name, "maintainer", "write");

        var (status, _) = await ClickAsync(run, "passerby");
        Assert.Equal("refused", status);
        Assert.Contains("@passerby has read access to Codertocat/Hello-World; applying fixes needs write access", LastComment());
        Assert.Equal(_repo.HeadSha, _h.GitHub.Ref(Owner, Name, "heads/feature"));

        _h.PullRequest.HeadRepository = "forker/Hello-World";
        (status, _) = await ClickAsync(run, "maintainer");
        Assert.Equal("refused", status);
        Assert.Contains("forker/Hello-World, a fork", LastComment());
        Assert.Equal(_repo.HeadSha, _h.GitHub.Ref(Owner, Name, "heads/feature"));
        Assert.DoesNotContain(_h.GitHub.Requests, r => r.Method == "POST" && r.Path.Contains("/git/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClickAfterTheHeadMoved_IsRefused_AndNothingIsCommitted()
    {
        var run = await ReportedRunAsync();
        _h!.GitHub.SetPermission(Owner, Name, "maintainer", "admin");
        var newer = _repo.Push(new Dictionary<string, string?> { ["other.txt"] = "x\n" });
        _h.PullRequest.SetHead(newer, _repo.Diff());

        var (status, message) = await ClickAsync(run, "maintainer");

        Assert.Equal("refused", status);
        Assert.Contains("has moved", message);
        Assert.Contains($"has moved from {run.HeadSha[..7]}", LastComment());
        Assert.Equal(run.HeadSha, _h.GitHub.Ref(Owner, Name, "heads/feature"));
    }

    [Fact]
    public async Task AnotherAppsAction_IsIgnored()
    {
        var run = await ReportedRunAsync();

        var (status, _) = await ClickAsync(run, "maintainer", identifier: "lgtm|2");

        Assert.Equal("ignored", status);
        Assert.Empty(_h!.GitHub.IssueComments(Owner, Name, Number));
    }
}
