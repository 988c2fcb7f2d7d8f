using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ReviewBot.Functions.Hosting.Functions;

/// <summary>
/// A piece of periodic work the Azure Functions host can drive: under the host it is one timer function of
/// ReviewBot.Functions.Worker (<c>[Function(Name)]</c> with <c>[TimerTrigger(Schedule)]</c>, which runs <see cref="Run"/>;
/// the worker refuses to start when a registered timer has no such function or its schedule differs). Registered with
/// <c>AddTimerFunction</c>; self-hosted, <see cref="TimerFunctionLoops"/> runs it.
/// </summary>
/// <param name="Name">The timer function's name: a letter, then letters, digits, '-' or '_' (at most 64).</param>
/// <param name="Schedule">NCRONTAB with six fields (second minute hour day month weekday), in UTC, as the host reads it.</param>
/// <param name="Run">One run of the work. Must be safe to call while another instance also runs it (the host keeps
/// one instance per schedule, but in-process loops of self-hosted instances do not).</param>
/// <param name="LocalInterval">When set, and the host does not drive timers, the app runs <see cref="Run"/> itself at
/// this interval (<see cref="TimerFunctionLoops"/>). Null for features that keep their own in-process loop
/// (registered with <see cref="TimerFunctionRegistration.AddInProcessLoop{T}"/> so that it stays off under the host).</param>
public sealed record TimerFunction(string Name, string Schedule, Func<IServiceProvider, TimerInvocation, CancellationToken, Task> Run, TimeSpan? LocalInterval = null)
{
    private static readonly Regex NamePattern = new("^[A-Za-z][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant);
    private static readonly Regex FieldPattern = new(@"^[0-9A-Za-z*/,\-?]+$", RegexOptions.CultureInvariant);

    /// <summary>Throws when the name is not a valid function name or the schedule does not have six NCRONTAB fields.</summary>
    public void Validate()
    {
        if (!NamePattern.IsMatch(Name))
            throw new ArgumentException($"Timer function name '{Name}' must start with a letter and hold only letters, digits, '-' and '_' (at most 64).");
        var fields = Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6 || !fields.All(FieldPattern.IsMatch))
            throw new ArgumentException($"Timer function '{Name}': schedule '{Schedule}' must be NCRONTAB with six fields (second minute hour day month weekday).");
        if (LocalInterval is { } i && i <= TimeSpan.Zero)
            throw new ArgumentException($"Timer function '{Name}': LocalInterval must be positive.");
    }
}

/// <summary>What the host said about one timer invocation (its TimerInfo), and the lines the run logs for it.</summary>
public sealed class TimerInvocation(bool isPastDue)
{
    private readonly List<string> _logs = [];

    /// <summary>The in-process loops' invocation: not past due.</summary>
    public static TimerInvocation Local() => new(false);

    public bool IsPastDue { get; } = isPastDue;
    public IReadOnlyList<string> Logs { get { lock (_logs) return [.. _logs]; } }

    /// <summary>A line for the invocation's log (the worker writes it to the function's logger).</summary>
    public void Log(string line) { lock (_logs) _logs.Add(line); }
}

/// <summary>Whether the Functions host fires the timers (<see cref="HostingOptions.TimersDrivenByHost"/>, resolved).</summary>
public sealed class TimerHosting(IOptions<HostingOptions> options)
{
    public bool DrivenByHost { get; } = options.Value.TimersDrivenByHost ?? false;
}

public static class TimerFunctionRegistration
{
    /// <summary>Registers a timer function (see <see cref="TimerFunction"/>). Names must be unique.</summary>
    public static IServiceCollection AddTimerFunction(this IServiceCollection services, string name, string schedule,
        Func<IServiceProvider, TimerInvocation, CancellationToken, Task> run, TimeSpan? localInterval = null)
    {
        var timer = new TimerFunction(name, schedule, run, localInterval);
        timer.Validate();
        if (services.Any(d => d.ServiceType == typeof(TimerFunction) && d.ImplementationInstance is TimerFunction t && string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"A timer function named '{name}' is already registered.");
        services.AddSingleton(timer);
        services.TryAddSingleton<TimerHosting>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TimerFunctionLoops>());
        return services;
    }

    /// <summary>The same, for work that needs no invocation details.</summary>
    public static IServiceCollection AddTimerFunction(this IServiceCollection services, string name, string schedule,
        Func<IServiceProvider, CancellationToken, Task> run, TimeSpan? localInterval = null) =>
        services.AddTimerFunction(name, schedule, (sp, _, ct) => run(sp, ct), localInterval);

    /// <summary>
    /// A feature's own in-process loop for work that is also a timer function: registered as a singleton and
    /// started as a hosted service only when the Functions host does not drive the timers.
    /// </summary>
    public static IServiceCollection AddInProcessLoop<T>(this IServiceCollection services) where T : class, IHostedService
    {
        services.TryAddSingleton<T>();
        services.TryAddSingleton<TimerHosting>();
        services.AddSingleton<IHostedService>(sp => new HostedUnlessDrivenByHost(sp.GetRequiredService<T>(), sp.GetRequiredService<TimerHosting>()));
        return services;
    }

    private sealed class HostedUnlessDrivenByHost(IHostedService inner, TimerHosting hosting) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => hosting.DrivenByHost ? Task.CompletedTask : inner.StartAsync(ct);
        public Task StopAsync(CancellationToken ct) => hosting.DrivenByHost ? Task.CompletedTask : inner.StopAsync(ct);
    }
}
