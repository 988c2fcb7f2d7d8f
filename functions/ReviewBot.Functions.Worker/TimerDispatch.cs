using System.Diagnostics;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using ReviewBot.Functions.Hosting.Functions;

namespace ReviewBot.Functions.Worker;

/// <summary>Runs a registered <see cref="TimerFunction"/> of the app for one firing of its timer function; the run's
/// log lines go to the function's logger (the host's invocation log). A run that throws fails the invocation.</summary>
public sealed partial class TimerDispatch(AppServices app)
{
    private readonly Dictionary<string, TimerFunction> _timers = app.Services.GetServices<TimerFunction>().ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);

    public async Task RunAsync(string name, TimerInfo timer, FunctionContext context)
    {
        var log = context.GetLogger("ReviewBot.Timers");
        var invocation = new TimerInvocation(timer.IsPastDue);
        var clock = Stopwatch.StartNew();
        await _timers[name].Run(app.Services, invocation, context.CancellationToken);
        invocation.Log($"{name} ran in {clock.ElapsedMilliseconds} ms{(invocation.IsPastDue ? " (past due)" : "")}");
        foreach (var line in invocation.Logs) LogLine(log, line);
    }

    [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogLine(ILogger logger, string line);
}

/// <summary>The timer functions of this assembly against the app's registered timers.</summary>
public static class TimerBindings
{
    /// <summary>Name → NCRONTAB schedule of every <c>[Function]</c> here with a <c>[TimerTrigger]</c>.</summary>
    public static IReadOnlyDictionary<string, string> Declared() =>
        typeof(TimerFunctions).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.Function is not null && x.Trigger is not null)
            .ToDictionary(x => x.Function!.Name, x => x.Trigger!.Schedule, StringComparer.OrdinalIgnoreCase);

    /// <summary>Throws, naming each one, when a registered timer has no timer function with its schedule, or a timer
    /// function has no registered timer.</summary>
    public static void Verify(IServiceProvider app)
    {
        var declared = Declared();
        var registered = app.GetServices<TimerFunction>().ToList();
        var problems = new List<string>();
        foreach (var t in registered)
        {
            if (!declared.TryGetValue(t.Name, out var schedule))
                problems.Add($"timer '{t.Name}' ({t.Schedule}) has no [Function(\"{t.Name}\")] in {nameof(TimerFunctions)}");
            else if (schedule != t.Schedule)
                problems.Add($"timer '{t.Name}': the function's schedule '{schedule}' is not the registered '{t.Schedule}'");
        }
        foreach (var name in declared.Keys.Where(n => !registered.Any(t => string.Equals(t.Name, n, StringComparison.OrdinalIgnoreCase))))
            problems.Add($"timer function '{name}' has no timer registered with AddTimerFunction");
        if (problems.Count > 0) throw new InvalidOperationException("The worker's timer functions do not match the app's timers:\n  " + string.Join("\n  ", problems));
    }
}
