using ReviewBot.Agent.Connection;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Tests.Agent.TestSupport;

/// <summary>
/// In-memory <see cref="IAgentServer"/>: records every call, answers with configurable acks, and
/// can be "disconnected" (calls throw as HubConnection's do; WaitUntilReady blocks until reconnected).
/// </summary>
internal sealed class FakeAgentServer : IAgentServer
{
    private readonly Lock _lock = new();
    private readonly List<TaskAcceptance> _acceptances = [];
    private readonly List<LogChunk> _chunks = [];
    private readonly List<TaskResult> _results = [];
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private TaskCompletionSource _ready = Completed();
    private int _failAppendLogs;

    public Func<TaskAcceptance, TaskAck> OnAccept { get; set; } = _ => new TaskAck(true, null);

    public Func<TaskResult, TaskAck> OnComplete { get; set; } = _ => new TaskAck(true, null);

    public int CompleteCalls { get; private set; }

    /// <summary>AppendLog calls, failed ones included.</summary>
    public int AppendLogCalls { get; private set; }

    public IReadOnlyList<TaskAcceptance> Acceptances => Snapshot(_acceptances);

    public IReadOnlyList<LogChunk> Chunks => Snapshot(_chunks);

    public IReadOnlyList<TaskResult> Results => Snapshot(_results);

    public string LogText(string taskId) => string.Concat(Chunks.Where(c => c.TaskId == taskId).OrderBy(c => c.Sequence).Select(c => c.Text));

    public bool Connected
    {
        get
        {
            lock (_lock)
            {
                return _ready.Task.IsCompleted;
            }
        }
        set
        {
            lock (_lock)
            {
                if (value)
                {
                    _ready.TrySetResult();
                }
                else if (_ready.Task.IsCompleted)
                {
                    _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            Changed();
        }
    }

    /// <summary>The next <paramref name="count"/> AppendLog calls fail as if the connection dropped mid-call.</summary>
    public void FailAppendLogs(int count)
    {
        lock (_lock)
        {
            _failAppendLogs = count;
        }
    }

    public Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _ready.Task.WaitAsync(cancellationToken);
        }
    }

    public Task<TaskAck> AcceptTaskAsync(TaskAcceptance acceptance, CancellationToken cancellationToken)
    {
        ThrowIfDisconnected();
        TaskAck ack;
        lock (_lock)
        {
            _acceptances.Add(acceptance);
            ack = OnAccept(acceptance);
        }

        Changed();
        return Task.FromResult(ack);
    }

    public Task AppendLogAsync(LogChunk chunk, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            AppendLogCalls++;
        }

        Changed();
        ThrowIfDisconnected();
        lock (_lock)
        {
            if (_failAppendLogs > 0)
            {
                _failAppendLogs--;
                throw new IOException("connection dropped during AppendLog");
            }

            _chunks.Add(chunk);
        }

        Changed();
        return Task.CompletedTask;
    }

    public Task<TaskAck> CompleteTaskAsync(TaskResult result, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            CompleteCalls++;
        }

        ThrowIfDisconnected();
        TaskAck ack;
        lock (_lock)
        {
            _results.Add(result);
            ack = OnComplete(result);
        }

        Changed();
        return Task.FromResult(ack);
    }

    /// <summary>Completes when <paramref name="condition"/> holds (checked after every recorded call).</summary>
    public Task WaitForAsync(Func<FakeAgentServer, bool> condition, TimeSpan? limit = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiters.Add((() => condition(this), done));
        }

        Changed();
        return done.Task.Within(limit);
    }

    private void Changed()
    {
        List<(Func<bool> Condition, TaskCompletionSource Done)> waiters;
        lock (_lock)
        {
            waiters = [.. _waiters];
        }

        foreach (var waiter in waiters.Where(w => w.Condition()))
        {
            lock (_lock)
            {
                _waiters.Remove(waiter);
            }

            waiter.Done.TrySetResult();
        }
    }

    private void ThrowIfDisconnected()
    {
        if (!Connected)
        {
            throw new InvalidOperationException("The 'InvokeCoreAsync' method cannot be called if the connection is not active");
        }
    }

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (_lock)
        {
            return [.. list];
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}
