using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Workspaces;

/// <summary>
/// One task's checkout: <see cref="Checkout"/> holds the head commit, <see cref="TaskDirectory"/>
/// has room for the task's own files (artifact dir, file lists). Disposing removes both.
/// </summary>
internal sealed class GitWorkspace : IAsyncDisposable
{
    private readonly RepoCache _cache;
    private readonly string _repoDirectory;
    private int _disposed;

    internal GitWorkspace(RepoCache cache, string repoDirectory, string taskDirectory, string checkout)
    {
        _cache = cache;
        _repoDirectory = repoDirectory;
        TaskDirectory = taskDirectory;
        Checkout = checkout;
    }

    public string TaskDirectory { get; }

    public string Checkout { get; }

    /// <summary>
    /// Files of the three-dot diff base...head (from the merge base; renames give the new path;
    /// deleted files left out), '/' separated. Null when the source has no base commit.
    /// </summary>
    public IReadOnlyList<string>? ChangedFiles { get; private set; }

    /// <summary>Every file of the head commit: what a linter reviews when there is no base.</summary>
    public async Task<IReadOnlyList<string>> ListFilesAsync(CancellationToken cancellationToken) =>
        SplitZ(await Git.RunAsync(Checkout, ["ls-files", "-z"], cancellationToken).ConfigureAwait(false));

    internal async Task ComputeChangedFilesAsync(SourceSpec source, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(source.BaseSha))
        {
            ChangedFiles = null;
            return;
        }

        var output = await Git.RunAsync(
            _repoDirectory,
            ["diff", "--name-only", "-z", "--find-renames", "--diff-filter=d", $"{source.BaseSha}...{source.HeadSha}", "--"],
            cancellationToken).ConfigureAwait(false);
        ChangedFiles = SplitZ(output);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _cache.RemoveAsync(_repoDirectory, TaskDirectory, Checkout).ConfigureAwait(false);
        }
    }

    private static List<string> SplitZ(string output) =>
        output.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
}
