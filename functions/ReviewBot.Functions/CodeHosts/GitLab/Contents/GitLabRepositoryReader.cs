using Microsoft.Extensions.Options;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.CodeHosts.GitLab.Contents;

/// <summary>
/// <see cref="IRepositoryReader"/> on GitLab's API: a file from <c>GET /projects/:id/repository/files/:path/raw?ref=</c>
/// (404 "File Not Found" = no such file), the changed files from the merge request's diffs (every page), a commit's
/// files from the repository tree (<see cref="GitLabClient.ListTreeFilesAsync"/>, keyset pages of 100). A tree of more
/// than <see cref="MaxTreeEntries"/> entries is not read to its end: "cannot tell", logged, so <c>modules: auto</c>
/// gives one task for the whole repository and the agent applies the paths. Any failure is "cannot tell".
/// </summary>
public sealed partial class GitLabRepositoryReader(IHttpClientFactory http, IOptions<GitLabOptions> options, ILogger<GitLabRepositoryReader> log) : IRepositoryReader
{
    /// <summary>Entries (files and directories) of a tree read at most: 200 requests of 100. GitLab documents no cap of
    /// its own; GitHub truncates its recursive tree at 100,000 entries, and a repository that large is one a push should
    /// not list page by page.</summary>
    public const int MaxTreeEntries = 20_000;

    /// <summary>A local clone URL (tests, demos) is read from its disk (<see cref="LocalGitReader"/>), not from GitLab.</summary>
    public bool Serves(ChangeRequest change) =>
        change.Host == CodeHostNames.GitLab && !change.AllowLocal && change.ProjectId is not null && options.Value.HasApi;

    public Task<IReadOnlyList<string>?> ChangedFilesAsync(ChangeRequest change, CancellationToken ct) => Guard(change, "merge request diffs", async () =>
    {
        var diffs = await GitLabRegistration.Client(http).ListDiffsAsync(change.ProjectId!.Value, change.Number, ct);
        return (IReadOnlyList<string>?)[.. diffs.SelectMany(d => d.OldPath == d.NewPath ? new[] { d.NewPath } : [d.NewPath, d.OldPath]).Distinct(StringComparer.Ordinal)];
    });

    public Task<IReadOnlyList<string>?> FilesAsync(ChangeRequest change, string sha, CancellationToken ct) => Guard(change, "tree", async () =>
    {
        var files = await GitLabRegistration.Client(http).ListTreeFilesAsync(change.ProjectId!.Value, sha, MaxTreeEntries, ct);
        if (files is null) LogTreeTooLarge(log, change.Name, sha, MaxTreeEntries);
        return files;
    });

    public Task<RepositoryFile?> ReadFileAsync(ChangeRequest change, string path, string commitOrRef, CancellationToken ct) => Guard(change, path, async () =>
        await GitLabRegistration.Client(http).GetRawFileAsync(change.ProjectId!.Value, path, commitOrRef, ct) is { } text ? new RepositoryFile(text) : RepositoryFile.Missing);

    private async Task<T?> Guard<T>(ChangeRequest change, string what, Func<Task<T?>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is GitLabApiException or HttpRequestException or System.Text.Json.JsonException)
        {
            LogReadFailed(log, what, change.Name, ex.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 630, Level = LogLevel.Warning, Message = "The tree of {ChangeRequest} at {Sha} has more than {Max} entries; modules are not detected, each linter with modules: auto gets one task for the whole repository")]
    private static partial void LogTreeTooLarge(ILogger logger, string changeRequest, string sha, int max);

    [LoggerMessage(EventId = 616, Level = LogLevel.Warning, Message = "Reading the {What} of {ChangeRequest} from GitLab failed: {Error}")]
    private static partial void LogReadFailed(ILogger logger, string what, string changeRequest, string error);
}
