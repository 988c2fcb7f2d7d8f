using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.CodeHosts.GitLab;

namespace ReviewBot.Tests.CodeHosts.GitLab;

public class GitLabSettingsTests
{
    private static List<string> Errors(GitLabOptions o)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(o, new ValidationContext(o), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }

    [Fact]
    public void TokenWithoutUrl_IsAnError_UrlWithoutTokenIsTheWebhookOnlyMode()
    {
        Assert.Contains(Errors(new GitLabOptions { Token = "glpat-x" }), e => e.Contains("Url is not"));
        Assert.Empty(Errors(new GitLabOptions { Url = new("https://gitlab.com"), Token = "glpat-x" }));
        // Webhooks only: the Url names the host clone URLs must be on; tasks run, nothing is reported.
        Assert.Empty(Errors(new GitLabOptions { Url = new("https://gitlab.com"), WebhookSecret = "s" }));
        Assert.False(new GitLabOptions { Url = new("https://gitlab.com") }.HasApi);
    }

    [Fact]
    public void ApiBase_IsUnderApiV4()
    {
        Assert.Equal("https://gitlab.example.com/gitlab/api/v4/", new GitLabOptions { Url = new("https://gitlab.example.com/gitlab/") }.ApiBase!.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://gitlab.example.com/group/project.git", "glpat-x")]
    [InlineData("https://GITLAB.example.com/group/project.git", "glpat-x")]
    [InlineData("https://evil.example.com/group/project.git", null)]
    [InlineData("http://gitlab.example.com/group/project.git", null)]
    [InlineData("https://gitlab.example.com:8443/group/project.git", null)]
    [InlineData("file:///tmp/project.git", null)]
    public void CloneToken_GoesOnlyToTheConfiguredHostOverHttps(string cloneUrl, string? expected)
    {
        var credentials = new GitLabCloneCredentials(Options.Create(new GitLabOptions { Url = new("https://gitlab.example.com"), Token = "glpat-x" }));
        Assert.Equal(expected, credentials.TokenFor(cloneUrl));
    }
}
