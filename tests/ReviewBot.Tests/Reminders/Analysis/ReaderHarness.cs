using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Functions.CodeHosts.GitHub.Reminders;
using ReviewBot.Functions.CodeHosts.GitLab;
using ReviewBot.Functions.CodeHosts.GitLab.Reminders;
using ReviewBot.Functions.Reminders.Analysis;
using ReviewBot.Testing.FakeGitHub;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.Reminders.Analysis;

/// <summary>The GitHub reader on the real <c>AddGitHubAuth</c> registrations against a <see cref="FakeGitHubServer"/>, one fake clock.</summary>
public sealed class GitHubReaderHarness : IAsyncDisposable
{
    public const string Token = "ghp_reminders_test_token";
    private readonly ServiceProvider _services;
    private readonly string? _keyPath;

    private GitHubReaderHarness(FakeGitHubServer github, SignallingTimeProvider time, ServiceProvider services, string? keyPath, ReminderAnalysisOptions options)
    {
        GitHub = github;
        Time = time;
        _services = services;
        _keyPath = keyPath;
        Reader = new GitHubPullRequestReader(services.GetRequiredService<IGitHubClientFactory>(), services.GetRequiredService<AppJwt>(),
            services.GetRequiredService<GitHubConnections>(), Options.Create(options), time, NullLogger<GitHubPullRequestReader>.Instance);
    }

    public FakeGitHubServer GitHub { get; }
    public SignallingTimeProvider Time { get; }
    public GitHubPullRequestReader Reader { get; }

    public static async Task<GitHubReaderHarness> StartAsync(bool app = false, ReminderAnalysisOptions? options = null)
    {
        var time = new SignallingTimeProvider(ReminderFixtures.Now);
        var github = await FakeGitHubServer.StartAsync("", time);
        string? keyPath = null;
        var settings = new Dictionary<string, string?>
        {
            ["ReviewBot:GitHub:ApiUrl"] = github.ApiUrl.ToString(),
            ["ReviewBot:GitHub:Http:WriteSpacing"] = "00:00:00",
        };
        if (app)
        {
            keyPath = Path.Combine(Path.GetTempPath(), $"reviewbot-app-{Guid.NewGuid():N}.pem");
            await File.WriteAllTextAsync(keyPath, github.PrivateKeyPem);
            settings["ReviewBot:GitHub:AppId"] = github.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["ReviewBot:GitHub:PrivateKeyPath"] = keyPath;
        }
        else
        {
            settings["ReviewBot:GitHub:Token"] = Token;
            github.PersonalAccessToken = Token;
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.AddGitHubAuth();
        return new GitHubReaderHarness(github, time, builder.Services.BuildServiceProvider(), keyPath, options ?? new ReminderAnalysisOptions());
    }

    /// <summary>Seeds acme/widgets with the fixture's pull requests.</summary>
    public void SeedFixture(string owner = "acme", string repo = "widgets")
    {
        foreach (var node in ReminderFixtures.GitHubNodes()) GitHub.AddOpenPullNode(owner, repo, node);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await GitHub.DisposeAsync();
        if (_keyPath is not null) File.Delete(_keyPath);
    }
}

/// <summary>The GitLab reader on the real <c>AddGitLabApi</c> registrations against a <see cref="FakeGitLabServer"/>, one fake clock.</summary>
public sealed class GitLabReaderHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private GitLabReaderHarness(FakeGitLabServer gitlab, SignallingTimeProvider time, ServiceProvider services, ReminderAnalysisOptions options)
    {
        GitLab = gitlab;
        Time = time;
        _services = services;
        Reader = new GitLabMergeRequestReader(services.GetRequiredService<IHttpClientFactory>(), services.GetRequiredService<IOptions<GitLabOptions>>(),
            Options.Create(options), time, NullLogger<GitLabMergeRequestReader>.Instance);
    }

    public FakeGitLabServer GitLab { get; }
    public SignallingTimeProvider Time { get; }
    public GitLabMergeRequestReader Reader { get; }

    public static async Task<GitLabReaderHarness> StartAsync(ReminderAnalysisOptions? options = null)
    {
        var time = new SignallingTimeProvider(ReminderFixtures.Now);
        var gitlab = await FakeGitLabServer.StartAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReviewBot:GitLab:Url"] = gitlab.Url,
            ["ReviewBot:GitLab:Token"] = FakeGitLabServer.Token,
        }).Build());
        services.AddSingleton<TimeProvider>(time);
        services.AddGitLabApi();
        return new GitLabReaderHarness(gitlab, time, services.BuildServiceProvider(), options ?? new ReminderAnalysisOptions());
    }

    /// <summary>Seeds the fixture's merge requests into <paramref name="project"/>.</summary>
    public IReadOnlyList<FakeOpenMergeRequest> SeedFixture(string project = "acme/platform/web")
    {
        var seeded = new List<FakeOpenMergeRequest>();
        foreach (var item in ReminderFixtures.GitLabItems())
        {
            var mr = GitLab.AddOpenMergeRequest(project, (JsonObject)item["details"]!);
            mr.Approvals = (JsonObject)item["approvals"]!.DeepClone();
            mr.Reviewers.AddRange(item["reviewers"]!.AsArray().Select(n => (JsonObject)n!.DeepClone()));
            mr.Commits.AddRange(item["commits"]!.AsArray().Select(n => (JsonObject)n!.DeepClone()));
            mr.Notes.AddRange(item["notes"]!.AsArray().Select(n => (JsonObject)n!.DeepClone()));
            foreach (var (pipeline, jobs) in item["jobs"]!.AsObject())
                mr.Jobs[long.Parse(pipeline, System.Globalization.CultureInfo.InvariantCulture)] = (JsonArray)jobs!.DeepClone();
            seeded.Add(mr);
        }
        return seeded;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await GitLab.DisposeAsync();
    }
}
