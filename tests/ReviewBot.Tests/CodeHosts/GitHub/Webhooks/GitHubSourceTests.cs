using System.Text.Json;
using Microsoft.Extensions.Options;
using Octokit.Webhooks.Events;
using ReviewBot.Functions.CodeHosts.GitHub;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;
using ReviewBot.Functions.Ingest;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.CodeHosts.GitHub.Webhooks;

/// <summary>Which host a GitHub delivery's clone URL must be on, for GitHub and GitHub Enterprise.</summary>
public class GitHubSourceTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    private static GitHubSource Source(string? apiUrl = null, bool allowLocal = false) => new(
        Options.Create(new GitHubOptions { ApiUrl = new Uri(apiUrl ?? "https://api.github.com/") }),
        new WebhookSource(Options.Create(new WebhookSourceOptions { AllowLocalCloneUrls = allowLocal })));

    private static PullRequestEvent PullRequest(string cloneUrl)
    {
        var json = Deliveries.Load("pull_request.opened");
        json["repository"]!["clone_url"] = cloneUrl;
        json["pull_request"]!["head"]!["sha"] = Sha;
        return JsonSerializer.Deserialize<PullRequestEvent>(json.ToJsonString())!;
    }

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

    [Fact]
    public void ALocalCloneUrl_IsAllowedOnlyUnderTheDemoSetting()
    {
        Assert.Contains("AllowLocalCloneUrls", Assert.Throws<WebhookPayloadException>(() => Source().CheckPullRequest(PullRequest("/srv/repos/app.git"))).Message);
        Assert.True(Source(allowLocal: true).CheckPullRequest(PullRequest("/srv/repos/app.git")));
    }
}
