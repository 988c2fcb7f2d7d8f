using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.WindowsServices;
using ReviewBot.Agent.Commands;
using ReviewBot.Agent.Service;

namespace ReviewBot.Agent.Hosting;

/// <summary>
/// The agent as a Windows service (Microsoft.Extensions.Hosting.WindowsServices): the service control manager's stop
/// becomes the first shutdown signal, so the agent drains as it does on SIGTERM, for up to
/// <see cref="ServiceFiles.StopTimeout"/>. When the agent stops on its own (<c>--once</c>, refused by the server) the
/// service stops with the agent's exit code.
/// </summary>
[SupportedOSPlatform("windows")]
internal static class WindowsServiceHost
{
    public static bool IsWindowsService() => WindowsServiceHelpers.IsWindowsService();

    public static async Task<int> RunAsync(AgentOptions options, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddWindowsService(o => o.ServiceName = ServiceFiles.DefaultName);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ServiceFiles.StopTimeout);
        builder.Services.AddSingleton(sp => new AgentService(options, sp.GetRequiredService<IHostApplicationLifetime>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AgentService>());
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return host.Services.GetRequiredService<AgentService>().ExitCode;
    }

    private sealed class AgentService(AgentOptions options, IHostApplicationLifetime lifetime) : BackgroundService
    {
        public int ExitCode { get; private set; } = AgentHost.ExitFailure;

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var loggerFactory = AgentLogging.Create();
            ExitCode = await AgentHost.RunAsync(options, loggerFactory, TimeProvider.System, listenToSignals: false, stoppingToken).ConfigureAwait(false);
            Environment.ExitCode = ExitCode;
            lifetime.StopApplication(); // the agent stopped on its own: so does the service
        }
    }
}
