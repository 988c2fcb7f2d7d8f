using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ReviewBot.Bench.Harness;

/// <summary>
/// The app in this process (ReviewBot.Functions' own Program.Build, on Kestrel at 127.0.0.1 and a free port), with the
/// same settings as <see cref="AppProcess"/>. For scenarios that observe the app from inside: the Azure SDK's events
/// of its storage calls, its TaskStore's change events. Timing scenarios use <see cref="AppProcess"/>, whose CPU and
/// memory are the app's alone.
/// </summary>
public sealed class InProcessApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _configPath;

    private InProcessApp(WebApplication app, string url, string prefix, string configPath)
    {
        _app = app;
        Url = url;
        Prefix = prefix;
        _configPath = configPath;
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new("Bearer", AppProcess.ApiKey);
    }

    public string Url { get; }
    public string HubUrl => Url + ReviewBot.Contracts.Agents.AgentProtocol.HubPath;
    public string Prefix { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="settings">More settings, configuration keys with ':' (e.g. ReviewBot:GitHub:ApiUrl).</param>
    public static async Task<InProcessApp> StartAsync(BenchStorage storage, IReadOnlyDictionary<string, string> settings, string? prefix = null)
    {
        prefix ??= storage.NewPrefix();
        var configPath = Path.Combine(Path.GetTempPath(), $"reviewbot-bench-{prefix}.yaml");
        await File.WriteAllTextAsync(configPath, AppProcess.ConfigYaml);
        var all = new Dictionary<string, string>
        {
            ["ReviewBot:Storage:ConnectionString"] = storage.ConnectionString,
            ["ReviewBot:Storage:Prefix"] = prefix,
            ["ReviewBot:ConfigPath"] = configPath,
            ["ReviewBot:GitHub:WebhookSecret"] = AppProcess.WebhookSecret,
            ["ReviewBot:Agents:Tokens:0"] = AppProcess.AgentToken,
            ["ReviewBot:Api:Keys:0"] = $"admin:{AppProcess.ApiKey}",
            ["Logging:LogLevel:Default"] = "Warning",
            ["webroot"] = Path.Combine(Paths.Root, "functions", "ReviewBot.Functions", "wwwroot"),
        };
        foreach (var (k, v) in settings) all[k] = v;
        var app = ReviewBot.Functions.Program.Build([.. all.Select(kv => $"--{kv.Key}={kv.Value}")], b => b.WebHost.UseUrls("http://127.0.0.1:0"));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InProcessApp(app, url, prefix, configPath);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { File.Delete(_configPath); } catch (IOException) { }
    }
}
