using Microsoft.Extensions.Logging;
using ReviewBot.Agent.Commands;
using ReviewBot.Agent.Connection;
using ReviewBot.Agent.Hooks;
using ReviewBot.Agent.Identity;
using ReviewBot.Agent.Tasks;
using ReviewBot.Agent.Workspaces;

namespace ReviewBot.Agent.Hosting;

/// <summary>
/// Wires the agent together and runs it until it is drained. Exit codes: 0 drained and stopped (with <c>--once</c>: its
/// task ran), 1 unexpected failure, 2 the server refused the registration, 3 with <c>--once</c>: it stopped before any
/// task ran (<c>--idle-exit</c>, or a shutdown signal). A once-agent drains as soon as the server confirmed its one
/// task, so it takes no other, and deregisters once that task was reported (the server forgets it);
/// <c>--idle-exit</c> drains when no task arrived for that long.
/// </summary>
internal static partial class AgentHost
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitRefused = 2;
    public const int ExitNoTask = 3;

    public static async Task<int> RunAsync(AgentOptions options, CancellationToken cancellationToken)
    {
        using var loggerFactory = AgentLogging.Create();
        return await RunAsync(options, loggerFactory, TimeProvider.System, listenToSignals: true, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="cancellationToken">Acts as a shutdown signal: first drain, then cancel.</param>
    internal static async Task<int> RunAsync(
        AgentOptions options,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        bool listenToSignals,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("ReviewBot.Agent");
        var identity = NodeIdentity.Load(options.WorkDir);
        Log.Starting(logger, identity.NodeId, options.ToString(), identity.Version, identity.Os, identity.Arch);

        var cache = new RepoCache(options.WorkDir, loggerFactory.CreateLogger<RepoCache>());
        cache.RemoveLeftoverTasks();

        await using var connection = new AgentConnection(options, identity, loggerFactory, time);
        var runnerOptions = new TaskRunnerOptions();
        var supervisor = new TaskSupervisor(
            connection,
            identity.NodeId,
            assignment => new TaskRunner(assignment, identity.NodeId, cache, connection, runnerOptions, time, loggerFactory.CreateLogger<TaskRunner>()),
            new TaskSupervisorOptions { Capacity = options.Once ? 1 : options.Capacity },
            time,
            loggerFactory.CreateLogger<TaskSupervisor>(),
            options.HookPreTask is null && options.HookPostTask is null
                ? null
                : new TaskHooks(options.HookPreTask, options.HookPostTask, identity.NodeId, options.WorkDir, loggerFactory.CreateLogger<TaskHooks>()));

        var drainRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var signals = new ShutdownSignals(
            drain: () =>
            {
                Log.DrainRequested(logger);
                supervisor.BeginDrain();
                drainRequested.TrySetResult();
            },
            cancel: () =>
            {
                Log.CancelRequested(logger);
                supervisor.CancelAll("the agent is shutting down");
            },
            listenToSignals);
        using var tokenRegistration = cancellationToken.Register(signals.Raise);

        void DrainBy(string why)
        {
            Log.SelfDrain(logger, why);
            supervisor.BeginDrain();
            drainRequested.TrySetResult();
        }

        if (options.Once)
        {
            supervisor.TaskAccepted += assignment => DrainBy($"--once: task {assignment.TaskId} is this agent's one task");
        }

        using var idle = options.IdleExit is { } idleExit ? new IdleTimer(idleExit, time, supervisor, () => DrainBy($"--idle-exit: no task for {idleExit}")) : null;

        using var stopConnection = new CancellationTokenSource();
        var connectionRun = connection.RunAsync(supervisor, stopConnection.Token);

        if (await Task.WhenAny(drainRequested.Task, connectionRun).ConfigureAwait(false) == connectionRun
            || await Task.WhenAny(supervisor.WhenIdleAsync(CancellationToken.None), connectionRun).ConfigureAwait(false) == connectionRun)
        {
            // The connection ended on its own (registration refused, or a bug): stop the tasks and report.
            supervisor.CancelAll("the agent is stopping");
            await WaitBrieflyAsync(supervisor.WhenIdleAsync(CancellationToken.None)).ConfigureAwait(false);
            return await ExitCodeAsync(connectionRun, logger).ConfigureAwait(false);
        }

        Log.Drained(logger);
        if (options.Once && supervisor.AcceptedCount > 0)
        {
            // Spent: its one task ran and was reported, so it leaves the server's agent list now rather than at retention.
            await connection.DeregisterAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await stopConnection.CancelAsync().ConfigureAwait(false);
        var exitCode = await ExitCodeAsync(connectionRun, logger).ConfigureAwait(false);
        return exitCode == ExitOk && options.Once && supervisor.AcceptedCount == 0 ? ExitNoTask : exitCode;
    }

    /// <summary>Gives cancelled tasks time to kill their process trees before the agent exits.</summary>
    private static async Task WaitBrieflyAsync(Task idle)
    {
        await Task.WhenAny(idle, Task.Delay(TimeSpan.FromSeconds(15), CancellationToken.None)).ConfigureAwait(false);
    }

    private static async Task<int> ExitCodeAsync(Task connectionRun, ILogger logger)
    {
        try
        {
            await connectionRun.ConfigureAwait(false);
            return ExitOk;
        }
        catch (RegistrationRefusedException ex)
        {
            Log.Stopped(logger, ex.Message);
            return ExitRefused;
        }
        catch (Exception ex)
        {
            Log.Failed(logger, ex);
            return ExitFailure;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(501, LogLevel.Information, "reviewbot-agent {Version} ({Os}/{Arch}) starting as node {NodeId}: {Options}.", EventName = "AgentStarting")]
        public static partial void Starting(ILogger logger, string nodeId, string options, string version, string os, string arch);

        [LoggerMessage(502, LogLevel.Information, "Shutdown requested: draining (finishing running tasks). Signal again to cancel them.", EventName = "DrainRequested")]
        public static partial void DrainRequested(ILogger logger);

        [LoggerMessage(503, LogLevel.Warning, "Second shutdown request: cancelling running tasks. Signal again to exit at once.", EventName = "CancelRequested")]
        public static partial void CancelRequested(ILogger logger);

        [LoggerMessage(504, LogLevel.Information, "Drained: no task left; disconnecting.", EventName = "Drained")]
        public static partial void Drained(ILogger logger);

        [LoggerMessage(505, LogLevel.Error, "Stopping: {Reason}.", EventName = "AgentStopped")]
        public static partial void Stopped(ILogger logger, string reason);

        [LoggerMessage(507, LogLevel.Information, "Draining: {Why}.", EventName = "SelfDrain")]
        public static partial void SelfDrain(ILogger logger, string why);

        [LoggerMessage(506, LogLevel.Critical, "The agent failed.", EventName = "AgentFailed")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
