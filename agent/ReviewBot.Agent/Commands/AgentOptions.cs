using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Commands;

/// <summary>The agent's settings, validated by <see cref="AgentCommand"/>.</summary>
/// <param name="Server">Base URL of the ReviewBot server (absolute http/https).</param>
/// <param name="Token">Bootstrap (or shared) token, exchanged once for the agent's own credential; null when the work dir
/// already holds a credential. Never logged.</param>
/// <param name="Labels">Normalised labels (see <see cref="LabelList.Normalize"/>).</param>
/// <param name="Capacity">Tasks run at once (≥ 1).</param>
/// <param name="WorkDir">Absolute path of the work dir: node id, repo cache, task checkouts.</param>
/// <param name="Name">Display name; defaults to the machine name.</param>
/// <param name="Exclusive">Take only tasks whose label filter matches this agent.</param>
internal sealed record AgentOptions(
    Uri Server,
    string? Token,
    IReadOnlyList<string> Labels,
    int Capacity,
    string WorkDir,
    string Name,
    bool Exclusive)
{
    /// <summary>Take exactly one task, run it, report it and exit (capacity 1).</summary>
    public bool Once { get; init; }

    /// <summary>Exit when no task arrived for this long (from the start, and from the end of the last task); null = never.</summary>
    public TimeSpan? IdleExit { get; init; }

    /// <summary>Absolute path of the executable run before accepting a task; a non-zero exit refuses it.</summary>
    public string? HookPreTask { get; init; }

    /// <summary>Absolute path of the executable run after each task.</summary>
    public string? HookPostTask { get; init; }

    /// <summary>The config file the settings came from, if any (shown in the start-up line).</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Server URL + <see cref="AgentProtocol.HubPath"/>, keeping any path prefix of the server URL.</summary>
    public Uri HubUrl => new(Server.AbsoluteUri.TrimEnd('/') + AgentProtocol.HubPath);

    /// <summary>Never print the token, even by accident (records print every property).</summary>
    public override string ToString() =>
        $"server={Server} name={Name} labels=[{string.Join(',', Labels)}] capacity={Capacity} exclusive={Exclusive} work-dir={WorkDir}" +
        (Once ? " once" : "") + (IdleExit is { } idle ? $" idle-exit={idle}" : "") +
        (HookPreTask is { } pre ? $" hook-pre-task={pre}" : "") + (HookPostTask is { } post ? $" hook-post-task={post}" : "") +
        (ConfigFile is { } config ? $" config={config}" : "");
}
