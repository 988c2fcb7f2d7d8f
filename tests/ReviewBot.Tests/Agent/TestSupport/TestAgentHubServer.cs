using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Tests.Agent.TestSupport;

/// <summary>
/// A real Kestrel + SignalR server with a recording hub at <see cref="AgentProtocol.HubPath"/>,
/// so the agent's connection is tested over the wire (negotiate, WebSockets, JSON protocol).
/// The real hub is the server team's; this one only records and answers.
/// </summary>
internal sealed class TestAgentHubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestAgentHubServer(WebApplication app, HubState state, int port)
    {
        _app = app;
        State = state;
        Port = port;
    }

    public HubState State { get; }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<TestAgentHubServer> StartAsync(int? port = null, HubState? state = null)
    {
        state ??= new HubState();
        port ??= FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSignalR();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.MapHub<RecordingHub>(AgentProtocol.HubPath);
        await app.StartAsync().Within();
        return new TestAgentHubServer(app, state, port.Value);
    }

    public IHubContext<RecordingHub, IAgentClient> Clients => _app.Services.GetRequiredService<IHubContext<RecordingHub, IAgentClient>>();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().Within();
        await _app.DisposeAsync();
    }

    internal sealed class HubState
    {
        private readonly Lock _lock = new();
        private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];

        public ConcurrentQueue<(AgentRegistration Registration, string? Token, string ConnectionId)> Registrations { get; } = new();

        public ConcurrentQueue<AgentHeartbeat> Heartbeats { get; } = new();

        public ConcurrentQueue<TaskAcceptance> Acceptances { get; } = new();

        public ConcurrentQueue<LogChunk> Chunks { get; } = new();

        public ConcurrentQueue<TaskResult> Results { get; } = new();

        public ConcurrentQueue<AgentDeregistration> Deregistrations { get; } = new();

        public string LogText(string taskId) => string.Concat(Chunks.Where(c => c.TaskId == taskId).OrderBy(c => c.Sequence).Select(c => c.Text));

        public Func<AgentRegistration, RegistrationResult> OnRegister { get; set; } =
            _ => new RegistrationResult(true, null, TimeSpan.FromSeconds(10), []);

        public HubCallerContext? LastContext { get; set; }

        public Task WaitForAsync(Func<HubState, bool> condition)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                _waiters.Add((() => condition(this), done));
            }

            Changed();
            return done.Task.Within();
        }

        public void Changed()
        {
            lock (_lock)
            {
                foreach (var waiter in _waiters.Where(w => w.Condition()).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Done.TrySetResult();
                }
            }
        }
    }

    internal sealed class RecordingHub(HubState state) : Hub<IAgentClient>, IAgentHub
    {
        public Task<RegistrationResult> Register(AgentRegistration registration)
        {
            var http = Context.GetHttpContext();
            var token = http?.Request.Query["access_token"].FirstOrDefault()
                        ?? http?.Request.Headers.Authorization.FirstOrDefault()?.Replace("Bearer ", "", StringComparison.Ordinal);
            state.LastContext = Context;
            var result = state.OnRegister(registration);
            state.Registrations.Enqueue((registration, token, Context.ConnectionId));
            state.Changed();
            return Task.FromResult(result);
        }

        public Task Heartbeat(AgentHeartbeat heartbeat)
        {
            state.Heartbeats.Enqueue(heartbeat);
            state.Changed();
            return Task.CompletedTask;
        }

        public Task<TaskAck> AcceptTask(TaskAcceptance acceptance)
        {
            state.Acceptances.Enqueue(acceptance);
            state.Changed();
            return Task.FromResult(new TaskAck(true, null));
        }

        public Task AppendLog(LogChunk chunk)
        {
            state.Chunks.Enqueue(chunk);
            state.Changed();
            return Task.CompletedTask;
        }

        public Task<TaskAck> CompleteTask(TaskResult result)
        {
            state.Results.Enqueue(result);
            state.Changed();
            return Task.FromResult(new TaskAck(true, null));
        }

        public Task<TaskAck> Deregister(AgentDeregistration deregistration)
        {
            state.Deregistrations.Enqueue(deregistration);
            state.Changed();
            return Task.FromResult(new TaskAck(true, null));
        }
    }
}
