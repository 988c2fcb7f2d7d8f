using Microsoft.Extensions.Options;
using Octokit;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Functions.CodeHosts.GitHub.Reporting;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.CodeHosts.GitHub.Contents;

/// <summary>
/// <see cref="IRepositoryReader"/> on GitHub's API: the changed files from <c>GET /pulls/{n}/files</c> (every page;
/// GitHub lists at most 3000, so a larger pull request answers "cannot tell"), a commit's files from
/// <c>GET /git/trees/{sha}?recursive=1</c> ("cannot tell" when GitHub truncates it), a file from
/// <c>GET /contents/{path}?ref={sha}</c> (404 = no such file). Any other failure is "cannot tell".
/// </summary>
public sealed partial class GitHubRepositoryReader(IGitHubClientFactory clients, IOptions<GitHubOptions> options, ILogger<GitHubRepositoryReader> log) : IRepositoryReader
{
    private const int MaxListedFiles = 3000;

    /// <summary>A local clone URL (tests, demos) is read from its disk (<see cref="LocalGitReader"/>), not from GitHub.</summary>
    public bool Serves(ChangeRequest change) => change.Host == CodeHostNames.GitHub && !change.AllowLocal && options.Value.HasCredentials;

    public Task<IReadOnlyList<string>?> ChangedFilesAsync(ChangeRequest change, CancellationToken ct) => Guard(change, "pull request files", async () =>
    {
        var (client, repo) = await ClientAsync(change, ct);
        var files = await client.PullRequest.Files(repo.Owner, repo.Name, change.Number, new ApiOptions { PageSize = 100 });
        if (files.Count >= MaxListedFiles) return null;
        return (IReadOnlyList<string>?)[.. files.SelectMany(f => f.PreviousFileName is { } before ? new[] { f.FileName, before } : [f.FileName]).Distinct(StringComparer.Ordinal)];
    });

    public Task<IReadOnlyList<string>?> FilesAsync(ChangeRequest change, string sha, CancellationToken ct) => Guard(change, "tree", async () =>
    {
        var (client, repo) = await ClientAsync(change, ct);
        var tree = await client.Git.Tree.GetRecursive(repo.Owner, repo.Name, sha);
        return tree.Truncated ? null : (IReadOnlyList<string>?)[.. tree.Tree.Where(i => i.Type.Value == TreeType.Blob).Select(i => i.Path)];
    });

    public Task<RepositoryFile?> ReadFileAsync(ChangeRequest change, string path, string sha, CancellationToken ct) => Guard(change, path, async () =>
    {
        var (client, repo) = await ClientAsync(change, ct);
        try
        {
            var contents = await client.Repository.Content.GetAllContentsByRef(repo.Owner, repo.Name, path, sha);
            return contents is [{ Type.Value: ContentType.File } file] ? new RepositoryFile(file.Content ?? "") : RepositoryFile.Missing;
        }
        catch (NotFoundException)
        {
            return RepositoryFile.Missing;
        }
    });

    private async Task<(IGitHubClient Client, RepoName Repo)> ClientAsync(ChangeRequest change, CancellationToken ct) =>
        (await clients.ForInstallationAsync(change.InstallationId, ct), RepoName.Parse(change.Repository));

    private async Task<T?> Guard<T>(ChangeRequest change, string what, Func<Task<T?>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or InvalidOperationException or ArgumentException)
        {
            LogReadFailed(log, what, change.Name, ex.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 615, Level = LogLevel.Warning, Message = "Reading the {What} of {ChangeRequest} from GitHub failed: {Error}")]
    private static partial void LogReadFailed(ILogger logger, string what, string changeRequest, string error);
}
