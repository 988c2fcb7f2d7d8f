using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.CodeHosts.GitLab;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.CodeHosts.GitLab;

/// <summary>The GitLab API client as the app registers it (<see cref="GitLabRegistration.AddGitLabApi"/>), pointed at a
/// <see cref="FakeGitLabServer"/>.</summary>
public sealed class GitLabHarness : IAsyncDisposable
{
    private GitLabHarness(FakeGitLabServer fake, ServiceProvider services)
    {
        Fake = fake;
        Services = services;
    }

    public FakeGitLabServer Fake { get; }
    public ServiceProvider Services { get; }
    public GitLabClient Client => Services.GetRequiredService<GitLabClient>();
    public IHttpClientFactory Http => Services.GetRequiredService<IHttpClientFactory>();
    public IOptions<GitLabOptions> Options => Services.GetRequiredService<IOptions<GitLabOptions>>();

    public static async Task<GitLabHarness> StartAsync(string? token = null)
    {
        var fake = await FakeGitLabServer.StartAsync();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReviewBot:GitLab:Url"] = fake.Url,
            ["ReviewBot:GitLab:Token"] = token ?? FakeGitLabServer.Token,
            ["ReviewBot:GitLab:AttemptTimeout"] = "00:00:10",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(config)
            .AddSingleton(TimeProvider.System)
            .AddGitLabApi()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        return new GitLabHarness(fake, services);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
