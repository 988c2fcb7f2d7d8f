using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewBot.Agent.Commands;
using ReviewBot.Agent.Identity;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Connection;

/// <summary>The server refused this agent (its registration, its token or credential); the agent exits with code 2.</summary>
internal sealed class RegistrationRefusedException(string reason) : Exception($"the server refused this agent: {reason}");

/// <summary>
/// The agent's SignalR connection. It connects with the token of <see cref="AgentTokenSource"/> (its own
/// credential, got first with the bootstrap token if need be), retrying with <see cref="JitteredBackoff"/> for
/// as long as it takes, registers after every (re)connect with the tasks still held, stops the
/// tasks the server lists as no longer ours, sends heartbeats and forwards the server's calls to
/// the <see cref="ITaskHost"/>. For the task side it is the <see cref="IAgentServer"/>.
/// </summary>
internal sealed partial class AgentConnection : IAgentServer, IAsyncDisposable
{
    private static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(10);

    private readonly AgentOptions _options;
    private readonly NodeIdentity _identity;
    private ITaskHost _tasks = null!;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HubConnection _hub;
    private readonly JitteredBackoff _backoff;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly AgentTokenSource _tokens;

    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _closed = new(0);
    private readonly SemaphoreSlim _heartbeatNow = new(0);
    private TaskCompletionSource _ready = NewSignal();
    private TimeSpan _heartbeatInterval = DefaultHeartbeat;
    private RegistrationRefusedException? _refused;
    private CancellationTokenSource? _registering;

    public AgentConnection(
        AgentOptions options,
        NodeIdentity identity,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        JitteredBackoff? backoff = null)
    {
        _options = options;
        _identity = identity;
        _time = time;
        _logger = loggerFactory.CreateLogger<AgentConnection>();
        _backoff = backoff ?? new JitteredBackoff();
        _tokens = new AgentTokenSource(options, identity, _http, _backoff, time, _logger);

        var builder = new HubConnectionBuilder()
            .WithUrl(options.HubUrl, o => o.AccessTokenProvider = () => Task.FromResult(_tokens.Token))
            .WithAutomaticReconnect(_backoff);
        builder.Services.AddSingleton(loggerFactory);
        _hub = builder.Build();

        _hub.Reconnecting += OnReconnecting;
        _hub.Reconnected += OnReconnected;
        _hub.Closed += OnClosed;
    }

    public HubConnectionState State => _hub.State;

    /// <summary>
    /// Connects and keeps the connection until <paramref name="stoppingToken"/> fires, then closes
    /// it. Server calls go to <paramref name="tasks"/>. Throws <see cref="RegistrationRefusedException"/>
    /// when the server refuses the agent. Call once.
    /// </summary>
    public async Task RunAsync(ITaskHost tasks, CancellationToken stoppingToken)
    {
        _tasks = tasks;
        // Handlers run on the receive loop: ITaskHost answers at once and works in the background.
        _hub.On<TaskAssignment>(nameof(IAgentClient.AssignTask), tasks.AssignTask);
        _hub.On<TaskCancellation>(nameof(IAgentClient.CancelTask), tasks.CancelTask);
        tasks.DrainingStarted += () => _heartbeatNow.Release();

        using var heartbeats = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeatLoop = HeartbeatLoopAsync(heartbeats.Token);
        try
        {
            await _tokens.PrepareAsync(stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                await ConnectAsync(stoppingToken).ConfigureAwait(false);
                await RegisterAsync(stoppingToken).ConfigureAwait(false);

                // Drops are handled by SignalR's automatic reconnect (OnReconnected registers again).
                // Closed means reconnecting was not possible (the server closed us): start over.
                await _closed.WaitAsync(stoppingToken).ConfigureAwait(false);
                ThrowIfRefused();
                Log.ConnectionClosed(_logger);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Control flow: the agent is stopping.
        }
        finally
        {
            await heartbeats.CancelAsync().ConfigureAwait(false);
            await heartbeatLoop.ConfigureAwait(false);
            await StopHubAsync().ConfigureAwait(false);
        }

        ThrowIfRefused();
    }

    public Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _ready.Task.WaitAsync(cancellationToken);
        }
    }

    public Task<TaskAck> AcceptTaskAsync(TaskAcceptance acceptance, CancellationToken cancellationToken) =>
        _hub.InvokeAsync<TaskAck>(nameof(IAgentHub.AcceptTask), acceptance, cancellationToken);

    public Task AppendLogAsync(LogChunk chunk, CancellationToken cancellationToken) =>
        _hub.InvokeAsync(nameof(IAgentHub.AppendLog), chunk, cancellationToken);

    public Task<TaskAck> CompleteTaskAsync(TaskResult result, CancellationToken cancellationToken) =>
        _hub.InvokeAsync<TaskAck>(nameof(IAgentHub.CompleteTask), result, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
    }

    private async Task ConnectAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 0L; ; attempt++)
        {
            try
            {
                if (attempt == 0)
                {
                    Log.Connecting(_logger, _options.HubUrl);
                }

                await _hub.StartAsync(stoppingToken).ConfigureAwait(false);
                _tokens.Connected();
                Log.Connected(_logger, _options.HubUrl, _hub.ConnectionId);
                return;
            }
            catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized && !stoppingToken.IsCancellationRequested)
            {
                // Not worth retrying as it is: register again with the bootstrap token if there is one, else stop (exit 2).
                try
                {
                    await _tokens.RecoverFromUnauthorizedAsync(_options.HubUrl, stoppingToken).ConfigureAwait(false);
                }
                catch (RegistrationRefusedException refused)
                {
                    _refused = refused; // AgentHost logs it and exits with code 2
                    throw;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = _backoff.Delay(attempt);
                Log.ConnectFailed(_logger, _options.HubUrl, ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task StopHubAsync()
    {
        SetNotReady();
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _hub.StopAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // Closing is best effort: the process is about to exit.
        }
    }

    private Task OnReconnecting(Exception? error)
    {
        SetNotReady();
        Log.Reconnecting(_logger, error?.Message ?? "connection lost");
        return Task.CompletedTask;
    }

    private Task OnReconnected(string? connectionId)
    {
        Log.Reconnected(_logger, connectionId);
        // Not awaited here: registering is a hub invocation, which must not hold up the reconnect callback.
        _ = Task.Run(async () =>
        {
            CancellationTokenSource registering;
            lock (_lock)
            {
                _registering?.Cancel();
                _registering = registering = new CancellationTokenSource();
            }

            try
            {
                await RegisterAsync(registering.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A newer reconnect registers instead.
            }
            catch (RegistrationRefusedException)
            {
                await StopHubAsync().ConfigureAwait(false);
            }
        });
        return Task.CompletedTask;
    }

    private Task OnClosed(Exception? error)
    {
        SetNotReady();
        if (error is not null)
        {
            Log.Closed(_logger, error.Message);
        }

        _closed.Release();
        return Task.CompletedTask;
    }

    private void ThrowIfRefused()
    {
        if (_refused is { } refused)
        {
            throw refused;
        }
    }

    private void SetReady()
    {
        lock (_lock)
        {
            _ready.TrySetResult();
        }
    }

    private void SetNotReady()
    {
        lock (_lock)
        {
            if (_ready.Task.IsCompleted)
            {
                _ready = NewSignal();
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
