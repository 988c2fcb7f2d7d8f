using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Octokit.Webhooks.Events;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;
using ReviewBot.Functions.CodeHosts.GitLab;
using ReviewBot.Functions.CodeHosts.GitLab.Webhooks;
using ReviewBot.Functions.Ingest;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Ingest;

/// <summary>Which code host a webhook's clone URL must be on, for each configuration (GitHub, GitHub Enterprise, GitLab).</summary>
public class WebhookSourceTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    private static WebhookSource Source(string? apiUrl = null, string? gitLabUrl = null, bool allowLocal = false) => new(
        Options.Create(new GitHubWebhookOptions { ApiUrl = new Uri(apiUrl ?? "https://api.github.com/") }),
        Options.Create(new GitLabOptions { Url = gitLabUrl is null ? null : new Uri(gitLabUrl) }),
        Options.Create(new WebhookSourceOptions { AllowLocalCloneUrls = allowLocal }));

    private static PullRequestEvent PullRequest(string cloneUrl)
    {
        var json = Deliveries.Load("pull_request.opened");
        json["repository"]!["clone_url"] = cloneUrl;
        json["pull_request"]!["head"]!["sha"] = Sha;
        return JsonSerializer.Deserialize<PullRequestEvent>(json.ToJsonString())!;
    }

    private static MergeRequestHook MergeRequest(string cloneUrl) =>
        new(42, "group/project", 5, "open", "opened", false, Sha, null, "feature", "main", cloneUrl, null);

    [Theory]
    [InlineData(null, "https://github.com/o/r.git", true)]
    [InlineData(null, "git@github.com:o/r.git", true)]
    [InlineData(null, "https://api.github.com/o/r.git", false)]
    [InlineData(null, "https://github.com.evil.example/o/r.git", false)]
    [InlineData(null, "https://evil.example/github.com/o/r.git", false)]
    [InlineData(null, "https://github.com@evil.example/o/r.git", false)]
    [InlineData("https://ghe.example/api/v3/", "https://ghe.example/o/r.git", true)]
    [InlineData("https://ghe.example/api/v3/", "ssh://git@ghe.example:2222/o/r.git", true)]
    [InlineData("https://ghe.example/api/v3/", "https://github.com/o/r.git", false)]
    [InlineData("https://ghe.example:8443/api/v3/", "https://ghe.example:8443/o/r.git", true)]
    [InlineData("https://ghe.example:8443/api/v3/", "https://ghe.example/o/r.git", false)]
    [InlineData("http://127.0.0.1:5000/", "https://127.0.0.1/o/r.git", true)]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5000/o/r.git", false)]
    public void AGitHubCloneUrl_MustBeHttpsOrSshOnTheApiUrlsGitHost(string? apiUrl, string cloneUrl, bool accepted)
    {
        var check = () => Source(apiUrl).CheckPullRequest(PullRequest(cloneUrl));

        if (accepted) Assert.False(check());
        else Assert.Equal("repository.clone_url", Assert.Throws<WebhookPayloadException>(() => check()).Field);
    }

    [Theory]
    [InlineData("https://gitlab.example.com", "https://gitlab.example.com/group/project.git", true)]
    [InlineData("https://gitlab.example.com/gitlab/", "https://gitlab.example.com/gitlab/group/project.git", true)]
    [InlineData("https://gitlab.example.com", "git@gitlab.example.com:group/project.git", true)]
    [InlineData("https://gitlab.example.com", "https://gitlab.com/group/project.git", false)]
    [InlineData("http://gitlab.local", "http://gitlab.local/group/project.git", false)]
    [InlineData(null, "https://gitlab.com/group/project.git", false)]
    public void AGitLabCloneUrl_MustBeHttpsOrSshOnTheUrlsHost(string? gitLabUrl, string cloneUrl, bool accepted)
    {
        var check = () => Source(gitLabUrl: gitLabUrl).CheckMergeRequest(MergeRequest(cloneUrl));

        if (accepted) Assert.False(check());
        else Assert.Equal("object_attributes.source.git_http_url", Assert.Throws<WebhookPayloadException>(() => check()).Field);
    }

    [Fact]
    public void WithoutAGitLabUrl_TheProblemNamesTheSetting()
    {
        var e = Assert.Throws<WebhookPayloadException>(() => Source().CheckMergeRequest(MergeRequest("https://gitlab.com/group/project.git")));

        Assert.Contains("ReviewBot:GitLab:Url is not set", e.Message);
    }

    [Theory]
    [InlineData("/srv/repos/app.git")]
    [InlineData("file:///srv/repos/app.git")]
    public void ALocalCloneUrl_IsRefusedByDefault_AndMarkedAllowLocalUnderTheDemoSetting(string cloneUrl)
    {
        var refused = Assert.Throws<WebhookPayloadException>(() => Source().CheckPullRequest(PullRequest(cloneUrl)));
        Assert.Contains("AllowLocalCloneUrls", refused.Message);

        Assert.True(Source(allowLocal: true).CheckPullRequest(PullRequest(cloneUrl)));
        Assert.True(Source(gitLabUrl: "https://gitlab.example.com", allowLocal: true).CheckMergeRequest(MergeRequest(cloneUrl)));
    }

    [Fact]
    public void TheDemoSetting_AllowsLocalPathsOnly_NotOtherHosts()
    {
        var e = Assert.Throws<WebhookPayloadException>(() => Source(allowLocal: true).CheckPullRequest(PullRequest("http://127.0.0.1:21199/x.git")));

        Assert.Equal("repository.clone_url", e.Field);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheDemoSetting_IsWarnedAboutAtStart_OnlyWhenOn(bool on)
    {
        var logger = new Capture();
        var warning = new WebhookSourceStartupWarning(Options.Create(new WebhookSourceOptions { AllowLocalCloneUrls = on }), logger);

        await warning.StartAsync(CancellationToken.None);

        if (on) Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("ReviewBot:Webhooks:AllowLocalCloneUrls is on"));
        else Assert.Empty(logger.Entries);
    }

    private sealed class Capture : ILogger<WebhookSource>
    {
        public List<(LogLevel Level, string Text)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
