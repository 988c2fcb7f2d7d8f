using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.CodeHosts.GitHub;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;

namespace ReviewBot.Tests.CodeHosts.GitHub.Auth;

public class GitHubAuthRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddGitHubAuth();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void Defaults_PaceWritesAtOnePerSecondAndRetryThreeTimes()
    {
        using var services = Build([]);

        var http = services.GetRequiredService<IOptions<GitHubHttpOptions>>().Value;

        Assert.Equal((TimeSpan.FromSeconds(1), 3), (http.WriteSpacing, http.MaxRetries));
        Assert.False(services.GetRequiredService<IGitHubClientFactory>().IsApp);
    }

    [Fact]
    public void OutOfRangeSettings_AreRefused()
    {
        using var services = Build(new() { ["ReviewBot:GitHub:Http:WriteSpacing"] = "00:05:00" });

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GitHubHttpOptions>>().Value);

        Assert.Contains("WriteSpacing", e.Message);
    }

    [Theory]
    [InlineData("https://api.github.com", "https://api.github.com/")]
    [InlineData("https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/")]
    [InlineData("https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3/")]
    public void ApiUrl_IsUsedAsGivenWithATrailingSlash(string apiUrl, string expected)
    {
        using var services = Build(new() { ["ReviewBot:GitHub:ApiUrl"] = apiUrl });

        Assert.Equal(new Uri(expected), services.GetRequiredService<GitHubConnections>().BaseAddress);
    }

    [Fact]
    public async Task WithoutCredentials_AskingForAClientFailsClearly()
    {
        using var services = Build([]);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => services.GetRequiredService<IGitHubClientFactory>().ForInstallationAsync(1));

        Assert.Contains("ReviewBot:GitHub:Token", e.Message);
        Assert.False(services.GetRequiredService<IOptions<GitHubOptions>>().Value.HasCredentials);
    }
}
