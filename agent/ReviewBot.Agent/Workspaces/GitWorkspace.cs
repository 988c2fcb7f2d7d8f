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

    internal GitWorkspace(RepoCache cache, string repoDirectory, string taskDirectory, string checkout, string headSha)
    {
        _cache = cache;
        _repoDirectory = repoDirectory;
        TaskDirectory = taskDirectory;
        Checkout = checkout;
        HeadSha = headSha;
    }

    /// <summary>The commit checked out: the source's head, or the commit its ref pointed to when it named none.</summary>
    public string HeadSha { get; }

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

    /// <summary>Above this many characters the diff is not sent: the server reads the pull request's files instead
    /// (a hub message must stay well under its 4 MiB limit, findings included).</summary>
    public const int MaxDiffChars = 2_000_000;

    /// <summary>Above this many files the diff is taken for every file rather than naming each on the command line.</summary>
    private const int MaxPathspecs = 200;

    private string? _diffRange;
    private string? _baseCheckout;

    /// <summary>The merge base of the source's base and head (what the three-dot diff starts from); null without a
    /// base commit or when the two share no history.</summary>
    public async Task<string?> MergeBaseAsync(SourceSpec source, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(source.BaseSha)) return null;
        var (exitCode, stdout, _) = await Git.TryRunAsync(_repoDirectory, ["merge-base", "--", source.BaseSha, HeadSha], cancellationToken).ConfigureAwait(false);
        var sha = stdout.Trim();
        return exitCode == 0 && sha.Length > 0 ? sha : null;
    }

    /// <summary>Checks <paramref name="sha"/> out in a second detached worktree of the task (<c>base/</c> beside
    /// <see cref="Checkout"/>), removed with the workspace; returns its directory.</summary>
    public async Task<string> CheckoutBaseAsync(string sha, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(TaskDirectory, "base");
        await _cache.AddWorktreeAsync(_repoDirectory, directory, sha, cancellationToken).ConfigureAwait(false);
        _baseCheckout = directory;
        return directory;
    }

    internal async Task ComputeChangedFilesAsync(SourceSpec source, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(source.BaseSha))
        {
            ChangedFiles = null;
            return;
        }

        _diffRange = $"{source.BaseSha}...{source.HeadSha}";

        var output = await Git.RunAsync(
            _repoDirectory,
            ["diff", "--name-only", "-z", "--find-renames", "--diff-filter=d", $"{source.BaseSha}...{source.HeadSha}", "--"],
            cancellationToken).ConfigureAwait(false);
        ChangedFiles = SplitZ(output);
    }

    /// <summary>
    /// The three-dot diff (what the pull request shows: from the merge base) limited to <paramref name="paths"/>, in
    /// git's unified format with three lines of context like GitHub and GitLab, renames detected. The server walks
    /// its hunks to know the exact changed lines — no 3,000-file cap, no missing patch for a large file. Null without
    /// a base commit, when nothing is asked, or when the diff exceeds <see cref="MaxDiffChars"/>.
    /// </summary>
    public async Task<string?> DiffAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        if (_diffRange is null || paths.Count == 0)
        {
            return null;
        }

        List<string> args = ["-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff", "--find-renames", "--unified=3", _diffRange, "--"];
        if (paths.Count <= MaxPathspecs)
        {
            // A rename's old path must be named too, or git shows an added file instead of a rename.
            args.AddRange(paths.Select(p => ":(literal)" + p));
            args.AddRange(await RenameSourcesAsync(paths, cancellationToken).ConfigureAwait(false));
        }

        var diff = await Git.RunAsync(_repoDirectory, args, cancellationToken).ConfigureAwait(false);
        return diff.Length <= MaxDiffChars ? diff : null;
    }

    /// <summary>The changed files the change renamed: new path → the path at the base. Empty without a base commit.</summary>
    public async Task<IReadOnlyDictionary<string, string>> RenamesAsync(CancellationToken cancellationToken)
    {
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_diffRange is null) return renames;
        var output = await Git.RunAsync(_repoDirectory, ["diff", "--name-status", "-z", "--find-renames", "--diff-filter=R", _diffRange, "--"], cancellationToken).ConfigureAwait(false);
        var parts = SplitZ(output); // R100, old, new, R090, old, new …
        for (var i = 0; i + 2 < parts.Count; i += 3)
        {
            renames[parts[i + 2]] = parts[i + 1];
        }

        return renames;
    }

    private async Task<IEnumerable<string>> RenameSourcesAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        var output = await Git.RunAsync(_repoDirectory, ["diff", "--name-status", "-z", "--find-renames", "--diff-filter=R", _diffRange!, "--"], cancellationToken).ConfigureAwait(false);
        var parts = SplitZ(output); // R100, old, new, R090, old, new …
        var wanted = paths.ToHashSet(StringComparer.Ordinal);
        var sources = new List<string>();
        for (var i = 0; i + 2 < parts.Count; i += 3)
        {
            if (wanted.Contains(parts[i + 2]))
            {
                sources.Add(":(literal)" + parts[i + 1]);
            }
        }

        return sources;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            if (_baseCheckout is not null)
            {
                await _cache.RemoveWorktreeAsync(_repoDirectory, _baseCheckout).ConfigureAwait(false);
            }

            await _cache.RemoveAsync(_repoDirectory, TaskDirectory, Checkout).ConfigureAwait(false);
        }
    }

    private static List<string> SplitZ(string output) =>
        output.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
}
