using Microsoft.Extensions.Options;
using ReviewBot.Functions.CodeHosts.GitLab;
using ReviewBot.Functions.CodeHosts.GitLab.Webhooks;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Tests.CodeHosts.GitLab.Webhooks;

/// <summary>Which host a GitLab delivery's clone URL must be on: the host of ReviewBot:GitLab:Url.</summary>
public class GitLabSourceTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    private static GitLabSource Source(string? gitLabUrl = null, bool allowLocal = false) => new(
        Options.Create(new GitLabOptions { Url = gitLabUrl is null ? null : new Uri(gitLabUrl) }),
        new WebhookSource(Options.Create(new WebhookSourceOptions { AllowLocalCloneUrls = allowLocal })));

    private static MergeRequestHook MergeRequest(string cloneUrl) =>
        new(42, "group/project", 5, "open", "opened", false, Sha, null, "feature", "main", cloneUrl, null);

    [Theory]
    [InlineData("https://gitlab.example.com", "https://gitlab.example.com/group/project.git", true)]
    [InlineData("https://gitlab.example.com/gitlab/", "https://gitlab.example.com/gitlab/group/project.git", true)]
    [InlineData("https://gitlab.example.com", "git@gitlab.example.com:group/project.git", true)]
    [InlineData("https://gitlab.example.com", "https://gitlab.com/group/project.git", false)]
    [InlineData("http://gitlab.local", "http://gitlab.local/group/project.git", false)]
    [InlineData(null, "https://gitlab.com/group/project.git", false)]
    public void AGitLabCloneUrl_MustBeHttpsOrSshOnTheUrlsHost(string? gitLabUrl, string cloneUrl, bool accepted)
    {
        var check = () => Source(gitLabUrl).CheckMergeRequest(MergeRequest(cloneUrl));

        if (accepted) Assert.False(check());
        else Assert.Equal("object_attributes.source.git_http_url", Assert.Throws<WebhookPayloadException>(() => check()).Field);
    }

    [Fact]
    public void WithoutAGitLabUrl_TheProblemNamesTheSetting()
    {
        var e = Assert.Throws<WebhookPayloadException>(() => Source().CheckMergeRequest(MergeRequest("https://gitlab.com/group/project.git")));

        Assert.Contains("ReviewBot:GitLab:Url is not set", e.Message);
    }

    [Fact]
    public void ALocalCloneUrl_IsAllowedOnlyUnderTheDemoSetting()
    {
        Assert.Throws<WebhookPayloadException>(() => Source("https://gitlab.example.com").CheckMergeRequest(MergeRequest("file:///srv/repos/app.git")));
        Assert.True(Source("https://gitlab.example.com", allowLocal: true).CheckMergeRequest(MergeRequest("file:///srv/repos/app.git")));
    }
}
