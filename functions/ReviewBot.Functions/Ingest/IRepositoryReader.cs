namespace ReviewBot.Functions.Ingest;

/// <summary>
/// What the server reads of a change request's repository before it creates tasks: the changed files (which linters
/// and modules get a task), the files of a commit (the modules' marker files) and one file's text (the repository's
/// <c>.reviewbot.yml</c>). One per code host (its API); <see cref="LocalGitReader"/> serves local clone URLs with git
/// itself. Every answer may be null, "cannot tell": the ingest then creates the tasks it would without it.
/// </summary>
public interface IRepositoryReader
{
    /// <summary>Whether it can read <paramref name="change"/>'s repository (its host, a local path).</summary>
    bool Serves(ChangeRequest change);

    /// <summary>The paths the change request changes (three-dot diff of base and head: added, modified, renamed to,
    /// deleted), or null when unknown.</summary>
    Task<IReadOnlyList<string>?> ChangedFilesAsync(ChangeRequest change, CancellationToken ct);

    /// <summary>Every file path of commit <paramref name="sha"/>, or null when unknown.</summary>
    Task<IReadOnlyList<string>?> FilesAsync(ChangeRequest change, string sha, CancellationToken ct);

    /// <summary>The text of <paramref name="path"/> at <paramref name="commitOrRef"/> (a commit id, or a branch or tag
    /// name that <see cref="Contracts.Agents.SourceRules.IsRefName"/> accepts); <see cref="RepositoryFile.Missing"/> when
    /// it has no such file; null when it cannot be read (or the ref is unknown).</summary>
    Task<RepositoryFile?> ReadFileAsync(ChangeRequest change, string path, string commitOrRef, CancellationToken ct);
}

/// <summary>A file read from a repository: its text, or that it does not exist.</summary>
public sealed record RepositoryFile(string? Text)
{
    public static RepositoryFile Missing { get; } = new((string?)null);

    public bool Exists => Text is not null;
}
