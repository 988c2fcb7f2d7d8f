using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Hosting.Functions;
using ReviewBot.Functions.Routing;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Agents;

public static class AgentsRegistration
{
    public static WebApplicationBuilder AddAgents(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgentsOptions>().BindConfiguration(AgentsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 4 * 1024 * 1024);
        builder.Services.AddSingleton<AgentRegistry>();
        builder.Services.AddSingleton<AgentDirectory>();
        builder.Services.AddSingleton<IAgentChannel, HubAgentChannel>();
        // The presence sweep: PresenceMonitor's own loops in process; the presence-sweep timer function under the Functions host.
        builder.Services.AddInProcessLoop<PresenceMonitor>();
        builder.Services.AddTimerFunction("presence-sweep", "*/10 * * * * *",
            (sp, invocation, ct) => sp.GetRequiredService<PresenceMonitor>().RunTimerAsync(invocation, ct));
        builder.Services.AddHostedService(sp => new StartupRecall(sp.GetRequiredService<AgentDirectory>()));
        return builder;
    }

    public static WebApplication MapAgents(this WebApplication app)
    {
        app.MapHub<AgentHub>(AgentProtocol.HubPath);
        app.MapAgentEndpoints();
        return app;
    }

    /// <summary>Loads the stored node list once at start (after the tables exist).</summary>
    private sealed class StartupRecall(AgentDirectory directory) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => directory.RememberAsync(ct);
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
