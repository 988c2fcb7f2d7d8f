using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Testing.FakeGitHub;

namespace ReviewBot.Tests.CodeHosts.GitHub.Auth;

/// <summary>The real <c>AddGitHubAuth</c> registrations against a <see cref="FakeGitHubServer"/>, sharing one fake clock.</summary>
public sealed class AuthHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string? _keyPath;

    private AuthHarness(FakeGitHubServer github, SignallingTimeProvider time, ServiceProvider services, string? keyPath)
    {
        GitHub = github;
        Time = time;
        _services = services;
        _keyPath = keyPath;
    }

    public FakeGitHubServer GitHub { get; }
    public SignallingTimeProvider Time { get; }
    public IGitHubClientFactory Clients => _services.GetRequiredService<IGitHubClientFactory>();
    public InstallationTokens Tokens => _services.GetRequiredService<InstallationTokens>();
    public AppJwt Jwt => _services.GetRequiredService<AppJwt>();
    public IServiceProvider Services => _services;

    /// <summary>As a GitHub App whose key the fake knows (PKCS#1 PEM unless <paramref name="pkcs8"/>).</summary>
    public static Task<AuthHarness> AppAsync(string pathBase = "", bool pkcs8 = false, IDictionary<string, string?>? settings = null) =>
        StartAsync(pathBase, app: true, pkcs8, extra: settings);

    /// <summary>With a plain token.</summary>
    public static Task<AuthHarness> TokenAsync(string token, IDictionary<string, string?>? settings = null) =>
        StartAsync("", app: false, pkcs8: false, token, settings);

    private static async Task<AuthHarness> StartAsync(string pathBase, bool app, bool pkcs8, string? token = null, IDictionary<string, string?>? extra = null)
    {
        var time = new SignallingTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var github = await FakeGitHubServer.StartAsync(pathBase, time);
        string? keyPath = null;
        var settings = new Dictionary<string, string?>
        {
            ["ReviewBot:GitHub:ApiUrl"] = github.ApiUrl.ToString(),
            ["ReviewBot:GitHub:Token"] = token,
            ["ReviewBot:GitHub:Http:WriteSpacing"] = "00:00:00", // the fake clock would hold every second write
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        if (app)
        {
            keyPath = Path.Combine(Path.GetTempPath(), $"reviewbot-app-{Guid.NewGuid():N}.pem");
            await File.WriteAllTextAsync(keyPath, pkcs8 ? github.PrivateKeyPkcs8Pem : github.PrivateKeyPem);
            settings["ReviewBot:GitHub:AppId"] = github.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["ReviewBot:GitHub:PrivateKeyPath"] = keyPath;
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.AddGitHubAuth();
        return new AuthHarness(github, time, builder.Services.BuildServiceProvider(), keyPath);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await GitHub.DisposeAsync();
        if (_keyPath is not null) File.Delete(_keyPath);
    }
}
