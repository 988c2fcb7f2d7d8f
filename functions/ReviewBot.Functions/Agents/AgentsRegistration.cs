using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Agents.Credentials;
using ReviewBot.Functions.Agents.Serverless;
using ReviewBot.Functions.Hosting;
using ReviewBot.Functions.Hosting.Functions;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Agents;

public static class AgentsRegistration
{
    /// <summary>Largest message an agent may send (a result with its findings); the upstream route takes bodies this large.</summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>The agents' channel: the in-process hub, or Azure SignalR Service in serverless mode when
    /// <c>ReviewBot:SignalR:ConnectionString</c> is set. Both drive the same <see cref="AgentSession"/>.</summary>
    public static WebApplicationBuilder AddAgents(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgentsOptions>().BindConfiguration(AgentsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SignalRServiceOptions>().BindConfiguration(SignalRServiceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<NodeStore>();
        builder.Services.AddSingleton<AgentCredentialStore>();
        builder.Services.AddSingleton<AgentRegistry>();
        builder.Services.AddSingleton<IAgentPool>(sp => sp.GetRequiredService<AgentRegistry>());
        builder.Services.AddSingleton<AgentDirectory>();
        builder.Services.AddSingleton<AgentSession>();
        builder.Services.AddSingleton<NodeDeregistration>();
        builder.Services.AddSingleton<AgentCredentials>();
        builder.Services.AddSingleton<AgentRevocation>();
        builder.Services.AddSingleton<AgentConnections>();
        // With a Redis backplane another instance may hold a revoked agent's connection: each instance sweeps its own.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["ReviewBot:SignalR:Redis"]))
            builder.Services.AddHostedService<RevocationSweep>();
        builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = MaxMessageBytes);
        if (UsesService(builder.Configuration))
        {
            builder.Services.AddSingleton<ServiceTokens>();
            builder.Services.AddHttpClient(ServerlessAgentChannel.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
            builder.Services.AddSingleton<IAgentChannel, ServerlessAgentChannel>();
        }
        else
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
        if (UsesService(app.Configuration))
        {
            app.MapServerlessNegotiate();
            app.MapServerlessUpstream();
        }
        else
            app.MapHub<AgentHub>(AgentProtocol.HubPath).WithRequestBodyLimit(() => MaxMessageBytes + 64 * 1024); // long polling posts messages
        app.MapAgentEndpoints();
        app.MapAgentCredentialEndpoints();
        app.MapQueueEndpoints();
        return app;
    }

    private static bool UsesService(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{SignalRServiceOptions.Section}:ConnectionString"]);

    /// <summary>Loads the stored node list once at start (after the tables exist).</summary>
    private sealed class StartupRecall(AgentDirectory directory) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => directory.RememberAsync(ct);
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
