using ReviewBot.Agent.Linting;
using ReviewBot.Agent.Logs;
using ReviewBot.Agent.Processes;

namespace ReviewBot.Agent.Tasks;

/// <summary>Turns a linter's output into findings: <see cref="OutputParsers.Parse(string, string, string?)"/> in production.</summary>
internal delegate ParseResult OutputParser(string format, string output, string? repoRoot);

/// <summary>Settings shared by every <see cref="TaskRunner"/>.</summary>
internal sealed record TaskRunnerOptions
{
    /// <summary>Timeout of a linter whose spec has none.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>SIGTERM → kill delay when a task times out or is cancelled.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the end of a task waits for its last log chunks to reach the server.</summary>
    public TimeSpan LogDeliveryTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public LogStreamerOptions Log { get; init; } = new();

    public OutputParser Parse { get; init; } = OutputParsers.Parse;

    /// <summary>The agent's environment, read for the few variables a linter inherits.</summary>
    public Func<string, string?> AgentEnvironment { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The agent's whole environment, which a job's steps inherit.</summary>
    public Func<IReadOnlyDictionary<string, string>> InheritedEnvironment { get; init; } = ProcessEnvironment;

    public ProcessLimits Limits(TimeSpan timeout) => new()
    {
        Timeout = timeout > TimeSpan.Zero ? timeout : DefaultTimeout,
        KillGrace = KillGrace,
    };

    private static Dictionary<string, string> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
}
