using ReviewBot.Agent.Tasks;

namespace ReviewBot.Agent.Hosting;

/// <summary>
/// <c>--idle-exit</c>: calls <c>onIdle</c> once when no task was accepted for <c>idleFor</c>, counted from the start
/// and from the end of the last task; never while a task runs.
/// </summary>
internal sealed class IdleTimer : IDisposable
{
    private readonly TimeSpan _idleFor;
    private readonly TaskSupervisor _supervisor;
    private readonly Action _onIdle;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private int _running;
    private bool _fired;

    public IdleTimer(TimeSpan idleFor, TimeProvider time, TaskSupervisor supervisor, Action onIdle)
    {
        _idleFor = idleFor;
        _supervisor = supervisor;
        _onIdle = onIdle;
        _timer = time.CreateTimer(_ => Fire(), null, idleFor, Timeout.InfiniteTimeSpan);
        supervisor.TaskAccepted += OnAccepted;
        supervisor.TaskFinished += OnFinished;
    }

    private void OnAccepted(Contracts.Agents.TaskAssignment _)
    {
        lock (_lock)
        {
            _running++;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnFinished(Contracts.Agents.TaskAssignment _)
    {
        lock (_lock)
        {
            if (--_running == 0 && !_fired)
            {
                _timer.Change(_idleFor, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Fire()
    {
        lock (_lock)
        {
            if (_running > 0 || _fired)
            {
                return;
            }

            _fired = true;
        }

        _onIdle();
    }

    public void Dispose()
    {
        _supervisor.TaskAccepted -= OnAccepted;
        _supervisor.TaskFinished -= OnFinished;
        _timer.Dispose();
    }
}
