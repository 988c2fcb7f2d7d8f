using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Logs;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Dashboard;

/// <summary>
/// Pushes what happens on this instance to dashboard connections: stored log pieces to the task's watchers, task and
/// agent changes to everyone. Event handlers only queue; sends are awaited one after another per task log (so a task's
/// pieces arrive in order) and per change stream, so a slow browser delays its own messages, never an agent's chunk.
/// A task's log queue ends after <see cref="IdleAfter"/> without output; the next piece starts a new one, which first
/// waits for the previous to finish, so order holds across the switch.
/// </summary>
public sealed partial class DashboardRelay(
    IHubContext<DashboardHub, IDashboardClient> hub, LiveLogs live, TaskStore tasks, AgentRegistry agents, ILogger<DashboardRelay> log) : IHostedService
{
    internal static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(1);

    private sealed record Piece(long Sequence, string Text);

    private sealed class Queue
    {
        public Channel<Piece> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<Piece>(new UnboundedChannelOptions { SingleReader = true });
        public Task Pump { get; set; } = Task.CompletedTask;
        public bool Started { get; set; }
    }

    private readonly ConcurrentDictionary<string, Queue> _logs = new(StringComparer.Ordinal);
    private readonly Channel<Func<Task>> _changes = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task _changePump = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        live.Stored += OnStored;
        tasks.Changed += OnTaskChanged;
        agents.NodeChanged += OnNodeChanged;
        _changePump = Task.Run(PumpChangesAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        live.Stored -= OnStored;
        tasks.Changed -= OnTaskChanged;
        agents.NodeChanged -= OnNodeChanged;
        _changes.Writer.TryComplete();
        await _stop.CancelAsync();
        await Task.WhenAny(_changePump, Task.Delay(Timeout.Infinite, cancellationToken));
    }

    private void OnTaskChanged(ReviewTask t)
    {
        var summary = TaskSummary.Of(t);
        _changes.Writer.TryWrite(() => hub.Clients.All.TaskChanged(summary));
    }

    private void OnNodeChanged(AgentPresence node)
    {
        var view = AgentDirectory.View(node);
        _changes.Writer.TryWrite(() => hub.Clients.All.AgentChanged(view));
    }

    private void OnStored(string taskId, long sequence, string text)
    {
        lock (_gate)
        {
            var queue = _logs.GetOrAdd(taskId, _ => new Queue());
            if (!queue.Channel.Writer.TryWrite(new Piece(sequence, text)))
            {
                // The queue went idle and closed: a new one takes over once the old one has sent all it had.
                var previous = queue.Pump;
                queue = new Queue { Started = true };
                _logs[taskId] = queue;
                queue.Channel.Writer.TryWrite(new Piece(sequence, text));
                queue.Pump = Task.Run(() => PumpLogAsync(taskId, queue, previous), CancellationToken.None);
                return;
            }
            if (!queue.Started)
            {
                queue.Started = true;
                queue.Pump = Task.Run(() => PumpLogAsync(taskId, queue, Task.CompletedTask), CancellationToken.None);
            }
        }
    }

    private async Task PumpLogAsync(string taskId, Queue queue, Task previous)
    {
        await previous;
        var reader = queue.Channel.Reader;
        var group = hub.Clients.Group(DashboardHub.Group(taskId));
        while (!_stop.IsCancellationRequested)
        {
            while (reader.TryRead(out var piece))
            {
                try { await group.LogAppended(taskId, piece.Sequence, piece.Text); }
                catch (Exception e) { LogSendFailed(log, e, taskId); }
            }
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            idle.CancelAfter(IdleAfter);
            try
            {
                if (!await reader.WaitToReadAsync(idle.Token)) return;
            }
            catch (OperationCanceledException)
            {
                lock (_gate)
                {
                    if (reader.Count > 0) continue;
                    queue.Channel.Writer.TryComplete();
                    _logs.TryRemove(new KeyValuePair<string, Queue>(taskId, queue));
                }
                return;
            }
        }
    }

    private async Task PumpChangesAsync()
    {
        await foreach (var send in _changes.Reader.ReadAllAsync())
        {
            try { await send(); }
            catch (Exception e) { LogSendFailed(log, e, "(changes)"); }
        }
    }

    [LoggerMessage(EventId = 850, Level = LogLevel.Warning, Message = "Dashboard relay for {Subject} failed to send")]
    private static partial void LogSendFailed(ILogger logger, Exception e, string subject);
}
