using ReviewBot.Functions.Configuration;

namespace ReviewBot.Functions.Ingest;

/// <summary>
/// Tells a change request that the repository's own configuration file was refused: a failed <see cref="Name"/> check
/// (GitHub: a check run when ReviewBot is an App, else a commit status; one per host) listing every error as
/// <c>file:line:column: message</c>. The server's configuration applies meanwhile (<see cref="RepositoryConfigs"/>).
/// </summary>
public interface IConfigCheckPublisher
{
    public const string Name = "reviewbot/config";

    /// <summary>The <see cref="ChangeRequest.Host"/> it serves.</summary>
    string Host { get; }

    /// <summary>Posts the failed check on the change request's head commit; false when the host has no credentials.</summary>
    Task<bool> PublishAsync(ChangeRequest change, IReadOnlyList<ConfigError> errors, CancellationToken ct);
}
