using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ReviewBot.Agent.Connection;
using ReviewBot.Agent.Hooks;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Tasks;

/// <summary>
/// Decides which assignments this agent takes and tracks them until their result is delivered:
/// accept when there is free capacity, the agent is not draining and the output format is known,
/// otherwise refuse with the reason. A task holds its slot from acceptance until the server
/// acknowledged its result (or the result was dropped), so after a reconnect the registration
/// lists it with its lease. Handlers return at once; the work runs on the thread pool.
/// </summary>
internal sealed partial class TaskSupervisor : ITaskHost
{
    private readonly IAgentServer _server;
    private readonly string _nodeId;
    private readonly Func<TaskAssignment, ITaskRunner> _createRunner;
    private readonly TaskSupervisorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITaskHooks? _hooks;

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _hardStop = new();
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private TaskCompletionSource _idle = NewIdle(completed: true);
    private volatile bool _draining;

    public TaskSupervisor(
        IAgentServer server,
        string nodeId,
        Func<TaskAssignment, ITaskRunner> createRunner,
        TaskSupervisorOptions options,
        TimeProvider time,
        ILogger<TaskSupervisor> logger,
        ITaskHooks? hooks = null)
    {
        _hooks = hooks;
        _server = server;
        _nodeId = nodeId;
        _createRunner = createRunner;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public event Action? DrainingStarted;

    /// <summary>Raised when the server confirmed this agent's acceptance of a task (before it runs).</summary>
    public event Action<TaskAssignment>? TaskAccepted;

    /// <summary>Raised when an accepted task has ended and its result was delivered or dropped (its slot is free).</summary>
    public event Action<TaskAssignment>? TaskFinished;

    private int _accepted;

    /// <summary>Tasks accepted (and confirmed by the server) since start.</summary>
    public int AcceptedCount => Volatile.Read(ref _accepted);

    public bool Draining => _draining;

    public IReadOnlyList<RunningTask> RunningTasks =>
        _slots.Values.Where(s => s.Accepted && !s.Abandoned).Select(s => new RunningTask(s.Assignment.TaskId, s.Assignment.LeaseToken)).ToList();

    public Task AssignTask(TaskAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        string? refusal;
        Slot? slot = null;
        lock (_lock)
        {
            if (_slots.TryGetValue(assignment.TaskId, out var existing) && existing.Assignment.LeaseToken == assignment.LeaseToken)
            {
                // The server sent the same assignment again (our answer was lost): confirm, do not run it twice.
                _ = Task.Run(() => AnswerAsync(assignment, accepted: true, reason: null));
                return Task.CompletedTask;
            }

            refusal = Refusal(assignment);
            if (refusal is null)
            {
                slot = new Slot(assignment);
                _slots[assignment.TaskId] = slot;
                if (_idle.Task.IsCompleted)
                {
                    _idle = NewIdle(completed: false);
                }
            }
        }

        if (slot is null)
        {
            Log.Refused(_logger, assignment.TaskId, refusal!);
            _ = Task.Run(() => AnswerAsync(assignment, accepted: false, refusal));
        }
        else
        {
            _ = Task.Run(() => AcceptAndRunAsync(slot));
        }

        return Task.CompletedTask;
    }

    public Task CancelTask(TaskCancellation cancellation)
    {
        ArgumentNullException.ThrowIfNull(cancellation);
        if (!_slots.TryGetValue(cancellation.TaskId, out var slot))
        {
            Log.CancelUnknown(_logger, cancellation.TaskId);
        }
        else if (!string.Equals(slot.Assignment.LeaseToken, cancellation.LeaseToken, StringComparison.Ordinal))
        {
            Log.CancelWrongLease(_logger, cancellation.TaskId);
        }
        else
        {
            Log.Cancelling(_logger, cancellation.TaskId, cancellation.Reason);
            slot.Cancel($"cancelled by the server: {cancellation.Reason}");
        }

        return Task.CompletedTask;
    }

    public void Abandon(IReadOnlyList<string> taskIds, string reason)
    {
        foreach (var taskId in taskIds)
        {
            if (_slots.TryGetValue(taskId, out var slot))
            {
                Log.Abandoning(_logger, taskId, reason);
                slot.Abandoned = true;
                slot.Cancel(reason);
            }
        }
    }

    /// <summary>First shutdown signal: take no new task, let the running ones finish.</summary>
    public void BeginDrain()
    {
        if (_draining)
        {
            return;
        }

        _draining = true;
        Log.Draining(_logger, _slots.Count);
        DrainingStarted?.Invoke();
    }

    /// <summary>
    /// Second shutdown signal: cancel everything still running. Results still waiting for the
    /// connection get <see cref="TaskSupervisorOptions.HardStopDeliveryTimeout"/> more, not the full delivery timeout.
    /// </summary>
    public void CancelAll(string reason)
    {
        BeginDrain();
        _hardStop.CancelAfter(_options.HardStopDeliveryTimeout);
        foreach (var slot in _slots.Values)
        {
            slot.Cancel(reason);
        }
    }

    /// <summary>Completes when no task holds a slot (their results delivered or dropped).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    private string? Refusal(TaskAssignment assignment)
    {
        if (_draining)
        {
            return "agent is draining (shutting down)";
        }

        if (_slots.ContainsKey(assignment.TaskId))
        {
            return "an older lease of this task is still running here";
        }

        // A task whose linter has finished only reports its result: it no longer takes a slot, since the
        // server frees its slot as soon as the result arrives and may assign the next task at once.
        var busy = _slots.Values.Count(s => !s.Reporting);
        if (busy >= _options.Capacity)
        {
            return $"agent is full ({busy}/{_options.Capacity} tasks)";
        }

        if (assignment.Job is not null)
        {
            // A job's steps are shell commands: there is no linter command to check, no output format to know.
            return null;
        }

        if (!OutputFormats.IsKnown(assignment.Linter.Format))
        {
            return $"unknown output format '{assignment.Linter.Format}' (this agent knows {string.Join(", ", OutputFormats.All)})";
        }

        if (assignment.Linter.Command.Count == 0 || string.IsNullOrWhiteSpace(assignment.Linter.Command[0]))
        {
            return $"linter {assignment.Linter.Name} has no command";
        }

        return null;
    }

    private async Task AcceptAndRunAsync(Slot slot)
    {
        var assignment = slot.Assignment;
        var ran = false;
        try
        {
            if (_hooks is not null
                && await _hooks.BeforeAsync(assignment, PreTaskLimit(assignment), _hardStop.Token).ConfigureAwait(false) is { } refusal)
            {
                Log.Refused(_logger, assignment.TaskId, refusal);
                await AnswerAsync(assignment, accepted: false, refusal).ConfigureAwait(false);
                return;
            }

            if (!await AnswerAsync(assignment, accepted: true, reason: null).ConfigureAwait(false))
            {
                return;
            }

            ran = true;
            Interlocked.Increment(ref _accepted);
            TaskAccepted?.Invoke(assignment);
            var runner = _createRunner(assignment);
            TaskResult result;
            try
            {
                slot.Start(runner);
                result = await runner.RunAsync().ConfigureAwait(false);
                slot.Reporting = true;
                await DeliverAsync(slot, result).ConfigureAwait(false);
            }
            finally
            {
                (runner as IDisposable)?.Dispose();
            }

            if (_hooks is not null)
            {
                await _hooks.AfterAsync(assignment, result, _hardStop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Log.SlotFailed(_logger, ex, assignment.TaskId);
        }
        finally
        {
            Release(slot);
            if (ran)
            {
                TaskFinished?.Invoke(assignment);
            }
        }
    }

    /// <summary>The pre-task hook must leave time to send the answer: most of the accept timeout, never less than a second.</summary>
    private TimeSpan PreTaskLimit(TaskAssignment assignment)
    {
        var timeout = assignment.AcceptTimeout > TimeSpan.Zero ? assignment.AcceptTimeout : _options.DefaultAcceptTimeout;
        return TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, timeout.Ticks * 4 / 5));
    }

    /// <summary>Sends the accept/refuse answer within the assignment's accept timeout; true when the server confirmed an acceptance.</summary>
    private async Task<bool> AnswerAsync(TaskAssignment assignment, bool accepted, string? reason)
    {
        var timeout = assignment.AcceptTimeout > TimeSpan.Zero ? assignment.AcceptTimeout : _options.DefaultAcceptTimeout;
        using var limit = new CancellationTokenSource(timeout, _time);
        try
        {
            var ack = await _server.AcceptTaskAsync(
                new TaskAcceptance(_nodeId, assignment.TaskId, assignment.LeaseToken, accepted, reason), limit.Token).ConfigureAwait(false);
            if (accepted && !ack.Accepted)
            {
                Log.AcceptRejected(_logger, assignment.TaskId, ack.Reason ?? "no reason given");
                return false;
            }

            if (accepted)
            {
                Log.Accepted(_logger, assignment.TaskId, assignment.Attempt);
            }

            return accepted;
        }
        catch (Exception ex)
        {
            // Timed out or the connection dropped: the server moves on to another agent, so must we.
            Log.AnswerFailed(_logger, assignment.TaskId, accepted, ex.Message);
            return false;
        }
    }

    /// <summary>Delivers the result, waiting for the connection when it is down; bounded by attempts and time.</summary>
    private async Task DeliverAsync(Slot slot, TaskResult result)
    {
        using var timeout = new CancellationTokenSource(_options.DeliveryTimeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _hardStop.Token);
        for (var attempt = 1; attempt <= _options.DeliveryAttempts; attempt++)
        {
            if (slot.Abandoned)
            {
                Log.ResultDropped(_logger, result.TaskId, "the server gave the task to another agent");
                return;
            }

            try
            {
                await _server.WaitUntilReadyAsync(deadline.Token).ConfigureAwait(false);
                using var call = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                call.CancelAfter(_options.CallTimeout);
                var ack = await _server.CompleteTaskAsync(result, call.Token).ConfigureAwait(false);
                if (ack.Accepted)
                {
                    Log.Delivered(_logger, result.TaskId, result.Outcome);
                }
                else
                {
                    Log.LeaseRefused(_logger, result.TaskId, ack.Reason ?? "no reason given");
                }

                return;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Log.DeliveryRetry(_logger, result.TaskId, attempt, ex.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(attempt, 5))), _time, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        Log.ResultDropped(_logger, result.TaskId, $"not delivered after {_options.DeliveryAttempts} attempts or {_options.DeliveryTimeout}");
    }

    private void Release(Slot slot)
    {
        lock (_lock)
        {
            _slots.TryRemove(new KeyValuePair<string, Slot>(slot.Assignment.TaskId, slot));
            if (_slots.IsEmpty)
            {
                _idle.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            idle.SetResult();
        }

        return idle;
    }

    /// <summary>One accepted (or being accepted) task. Cancel may come before the runner exists.</summary>
    private sealed class Slot(TaskAssignment assignment)
    {
        private readonly Lock _lock = new();
        private ITaskRunner? _runner;
        private string? _cancelReason;

        public TaskAssignment Assignment { get; } = assignment;

        public bool Accepted { get; private set; }

        public volatile bool Abandoned;

        /// <summary>The linter has finished; only the result remains to be delivered.</summary>
        public volatile bool Reporting;

        public void Start(ITaskRunner runner)
        {
            string? reason;
            lock (_lock)
            {
                _runner = runner;
                Accepted = true;
                reason = _cancelReason;
            }

            if (reason is not null)
            {
                runner.Cancel(reason);
            }
        }

        public void Cancel(string reason)
        {
            ITaskRunner? runner;
            lock (_lock)
            {
                _cancelReason ??= reason;
                runner = _runner;
            }

            runner?.Cancel(reason);
        }
    }
}
