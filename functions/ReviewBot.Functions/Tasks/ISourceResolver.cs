using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// The clone credential an agent gets with a task's source (<see cref="Contracts.Agents.SourceSpec"/>), from the
/// task's code host: each host registers one (CodeHosts/GitHub/CloneCredentials.cs, CodeHosts/GitLab/GitLabCloneCredentials.cs).
/// A resolver hands a token only to a clone URL on its own configured host, never to another server. It is never asked
/// for an untrusted task (<see cref="UntrustedWork.MayClone"/>).
/// </summary>
public interface ISourceResolver
{
    /// <summary>The <see cref="ReviewTask.Host"/> it serves ("github", "gitlab").</summary>
    string Host { get; }

    /// <summary>The user git sends the token as (HTTP Basic); null for the host's default.</summary>
    string? TokenUser { get; }

    /// <summary>The token for the task's clone URL, or null (none configured, another host, or none could be had: a
    /// public repository still clones). May reach the network; usually answered from a cache, synchronously.</summary>
    ValueTask<string?> TokenForAsync(ReviewTask task, CancellationToken ct);
}
