using System.Runtime.InteropServices;

namespace ReviewBot.Agent.Hosting;

/// <summary>
/// SIGTERM and SIGINT (Ctrl+C) as the agent uses them: the first asks for a drain, the second
/// cancels the running tasks, the third exits at once (exit code 130). The default action of the
/// signal (terminate the process) is suppressed.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly Action _drain;
    private readonly Action _cancel;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _count;

    public ShutdownSignals(Action drain, Action cancel, bool listen = true)
    {
        _drain = drain;
        _cancel = cancel;
        if (!listen)
        {
            return;
        }

        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Raise();
            }));
        }
    }

    /// <summary>Counts one shutdown request (a signal, or the host's cancellation token).</summary>
    public void Raise()
    {
        switch (Interlocked.Increment(ref _count))
        {
            case 1:
                _drain();
                break;
            case 2:
                _cancel();
                break;
            default:
                Environment.Exit(130);
                break;
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
