using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitHub;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Functions.CodeHosts.GitHub.Reporting;
using ReviewBot.Functions.Reporting;
using ReviewBot.Testing.FakeGitHub;

namespace ReviewBot.Bench.Scenarios;

/// <summary>
/// One fake GitHub (the tests' <see cref="FakeGitHubServer"/>, on Kestrel) holding one pull request, and the product's
/// <see cref="GitHubReporter"/> built by the real <c>AddGitHubAuth</c> as a GitHub App against it, driven through
/// <see cref="ReportPipeline"/>: the DI of
/// tests/ReviewBot.Tests/CodeHosts/GitHub/Auth/AuthHarness.cs, on the system clock. A fresh one per row, so that each row has its
/// own installation token and so its own content-creation budget on the fake.
/// </summary>
public sealed class ReportWritesHarness : IAsyncDisposable
{
    public const string Owner = "octo-org";
    public const string Name = "bench-repo";
    public const int Number = 7;

    private static readonly LinterSpec Linter = new("benchlint", ["benchlint"], [], new Dictionary<string, string>(), null, "sarif", [], TimeSpan.FromMinutes(5));

    private readonly ServiceProvider _services;
    private readonly string _keyPath;
    private FakePullRequest? _pull;

    private ReportWritesHarness(FakeGitHubServer github, ServiceProvider services, string keyPath)
    {
        GitHub = github;
        _services = services;
        _keyPath = keyPath;
        Reporter = services.GetRequiredService<GitHubReporter>();
    }

    public FakeGitHubServer GitHub { get; }
    public GitHubReporter Reporter { get; }

    /// <param name="writeSpacing">ReviewBot:GitHub:Http:WriteSpacing; null leaves the product's default (1 s).</param>
    public static async Task<ReportWritesHarness> StartAsync(TimeSpan? writeSpacing)
    {
        var github = await FakeGitHubServer.StartAsync();
        var keyPath = Path.Combine(Path.GetTempPath(), $"reviewbot-bench-app-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(keyPath, github.PrivateKeyPem);
        var settings = new Dictionary<string, string?>
        {
            ["ReviewBot:GitHub:ApiUrl"] = github.ApiUrl.ToString(),
            ["ReviewBot:GitHub:AppId"] = github.AppId.ToString(CultureInfo.InvariantCulture),
            ["ReviewBot:GitHub:PrivateKeyPath"] = keyPath,
        };
        if (writeSpacing is { } spacing) settings["ReviewBot:GitHub:Http:WriteSpacing"] = spacing.ToString("c", CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddGitHubAuth();
        builder.Services.AddSingleton(sp => new GitHubReporter(sp.GetRequiredService<IGitHubClientFactory>(), sp.GetRequiredService<IOptions<GitHubOptions>>()));
        return new ReportWritesHarness(github, builder.Services.BuildServiceProvider(), keyPath);
    }

    /// <summary>Seeds the pull request at its first head, or pushes a new head onto it.</summary>
    public void Seed(ReportWritesPullRequest head)
    {
        if (_pull is null) _pull = GitHub.AddPullRequest(Owner, Name, Number, ReportWritesPullRequest.BaseSha, head.HeadSha, head.Diff);
        else _pull.SetHead(head.HeadSha, head.Diff);
    }

    public static ReviewTask NewTask(string headSha) => new()
    {
        Id = $"bench-{Guid.NewGuid():N}",
        Repository = $"{Owner}/{Name}",
        CloneUrl = $"https://github.com/{Owner}/{Name}.git",
        PullRequest = Number,
        HeadSha = headSha,
        BaseSha = ReportWritesPullRequest.BaseSha,
        Linter = Linter,
        CreatedAt = DateTimeOffset.UtcNow,
        InstallationId = 1,
        Trigger = "bench report-writes",
        // The write budget below counts REST deletes of fixed findings' comments; the default (resolve the thread
        // through GraphQL) keeps the comments and is covered by GitHubReviewThreadTests.
        Report = new ReportSettings { Fixed = FixedMode.Delete },
    };

    public static ReportInput Input(ReviewTask task, ReportWritesPullRequest head, int maxComments) =>
        new(new TaskResultDocument(head.Findings, [], [ReportWritesPullRequest.File], head.Diff), $"https://reviewbot.example.com/api/tasks/{task.Id}", maxComments);

    /// <summary>Queued → in progress → completed, feeding each stage's progress back into the task as ReportQueue does.</summary>
    public async Task<ReviewTask> PublishAllStagesAsync(ReviewTask task, ReportWritesPullRequest head, int maxComments, CancellationToken ct)
    {
        var progress = await ReportPipeline.PublishAsync(Reporter, task, ReportStage.Queued, new ReportInput(null, null, maxComments), Checkpoint, ct);
        task = task with { Reporting = progress with { Stage = ReportStage.Queued, Done = false } };
        var started = DateTimeOffset.UtcNow;
        task = task with { State = TaskState.Running, NodeName = "bench-agent", NodeId = "bench-agent", StartedAt = started };
        progress = await ReportPipeline.PublishAsync(Reporter, task, ReportStage.InProgress, new ReportInput(null, null, maxComments), Checkpoint, ct);
        task = task with { Reporting = progress with { Stage = ReportStage.InProgress, Done = false } };
        return await PublishCompletedAsync(task, head, maxComments, ct);
    }

    /// <summary>The completed stage only (a task whose earlier stages were published, or not).</summary>
    public async Task<ReviewTask> PublishCompletedAsync(ReviewTask task, ReportWritesPullRequest head, int maxComments, CancellationToken ct)
    {
        task = task with
        {
            State = TaskState.Failed, ExitCode = 1, CompletedAt = DateTimeOffset.UtcNow, StartedAt = task.StartedAt ?? DateTimeOffset.UtcNow,
            NodeName = task.NodeName ?? "bench-agent", FindingCount = head.Findings.Count,
        };
        var progress = await ReportPipeline.PublishAsync(Reporter, task, ReportStage.Completed, Input(task, head, maxComments), p =>
        {
            task = task with { Reporting = p };
            return Task.CompletedTask;
        }, ct);
        return task with { Reporting = progress with { Stage = ReportStage.Completed, Done = true } };
    }

    private static Task Checkpoint(ReportProgress progress) => Task.CompletedTask;

    /// <summary>A mark in the fake's records; <see cref="Since"/> measures what happened after it.</summary>
    public Mark Now() => new(GitHub.Requests.Count, GitHub.WriteRequests(Owner, Name, Number), GitHub.Reviews(Owner, Name, Number).Count, GitHub.SecondaryLimitHits);

    public Window Since(Mark mark)
    {
        var requests = GitHub.Requests.Skip(mark.Requests).ToList();
        var prefix = $"{GitHub.PathBase}/repos/{Owner}/{Name}/";
        var checkCreates = requests.Count(r => r.Method == "POST" && r.Path == prefix + "check-runs");
        var checkUpdates = requests.Count(r => r.Method == "PATCH" && r.Path.StartsWith(prefix + "check-runs/", StringComparison.Ordinal));
        var maxAnnotations = requests
            .Where(r => r.Method is "POST" or "PATCH" && r.Path.StartsWith(prefix + "check-runs", StringComparison.Ordinal))
            .Select(r => (JsonNode.Parse(r.Body)?["output"]?["annotations"] as JsonArray)?.Count ?? 0)
            .DefaultIfEmpty(0).Max();
        var reviewRequests = requests.Count(r => r.Method == "POST" && r.Path == $"{prefix}pulls/{Number}/reviews");
        var deletes = requests.Count(r => r.Method == "DELETE");
        var newReviews = GitHub.Reviews(Owner, Name, Number).Skip(mark.Reviews).ToList();
        return new Window(
            GitHub.WriteRequests(Owner, Name, Number) - mark.Writes,
            requests.Count(r => r.Method != "GET") - (GitHub.WriteRequests(Owner, Name, Number) - mark.Writes),
            reviewRequests, newReviews, checkCreates, checkUpdates, maxAnnotations, deletes, GitHub.SecondaryLimitHits - mark.SecondaryHits);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await GitHub.DisposeAsync();
        File.Delete(_keyPath);
    }
}

public sealed record Mark(int Requests, int Writes, int Reviews, int SecondaryHits);

/// <param name="Writes">Non-GET requests about the pull request (the fake's <c>WriteRequests(owner, repo, number)</c>).</param>
/// <param name="OtherWrites">Non-GET requests not about it: the installation-token POST.</param>
/// <param name="ReviewRequests">POST …/pulls/{n}/reviews, including any refused with 422.</param>
/// <param name="NewReviews">Reviews the fake stored.</param>
public sealed record Window(int Writes, int OtherWrites, int ReviewRequests, IReadOnlyList<FakeReview> NewReviews, int CheckCreates, int CheckUpdates,
    int MaxAnnotationsPerRequest, int Deletes, int SecondaryHits)
{
    public int MaxCommentsPerReview => NewReviews.Select(r => r.Comments.Count).DefaultIfEmpty(0).Max();
}
