using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ReviewBot.Agent.Logs;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Workspaces;

/// <summary>
/// The work dir's git cache. Layout:
/// <code>
/// &lt;work-dir&gt;/repos/&lt;sanitised repo&gt;/   bare repository, reused by every task of that repo
/// &lt;work-dir&gt;/tasks/&lt;sanitised task&gt;/   one task: src/ (a detached worktree), artifact/, changed-files.txt
/// </code>
/// Fetches and worktree changes of one repository hold that repository's lock, so two tasks of the
/// same repo never fetch at once; reading (diff) needs no lock. Only this process may use the work dir.
/// </summary>
internal sealed partial class RepoCache(string workDir, ILogger<RepoCache> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public string ReposDirectory { get; } = Path.Combine(workDir, "repos");

    public string TasksDirectory { get; } = Path.Combine(workDir, "tasks");

    /// <summary>Findings of linters on merge bases (<c>filter: new</c>): <see cref="BaselineCache"/>.</summary>
    public BaselineCache Baselines { get; } = new(Path.Combine(workDir, "baselines"));

    /// <summary>Limit of one fetch; a hung remote must not hold the repo lock for ever.</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromMinutes(15);

    public string RepositoryDirectory(string repository) => Path.Combine(ReposDirectory, PathNames.Sanitize(repository, ignoreCase: true));

    public string TaskDirectory(string taskId) => Path.Combine(TasksDirectory, PathNames.Sanitize(taskId, ignoreCase: false));

    /// <summary>Removes task directories a previous run left behind (the agent was killed mid-task).</summary>
    public void RemoveLeftoverTasks()
    {
        if (!Directory.Exists(TasksDirectory))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(TasksDirectory))
        {
            DirectoryCleanup.TryDelete(directory);
        }
    }

    /// <summary>
    /// Fetches head (and base) into the cached repository, checks out head in a fresh task
    /// directory and computes the changed files. <paramref name="progress"/> receives lines for the task's log.
    /// When <see cref="SourceSpec.HeadSha"/> is empty (a job on a branch or tag), <see cref="SourceSpec.HeadRef"/> is
    /// fetched every time (the ref may have moved) and the commit it points to is checked out: see
    /// <see cref="GitWorkspace.HeadSha"/>.
    /// </summary>
    /// <exception cref="GitException">The source breaks <see cref="SourceRules"/> (nothing ran), or the fetch or
    /// checkout failed; the message says why (secrets masked).</exception>
    public async Task<GitWorkspace> CheckoutAsync(SourceSpec source, string taskId, Action<string> progress, CancellationToken cancellationToken)
    {
        var masker = SecretMasker.ForSource(source);

        // Whatever the server checked: git must never see an option where it expects a repository, ref or commit.
        if (SourceRules.Problem(source, url => masker.Apply(RedactUserInfo(url))) is { } problem)
        {
            throw new GitException(problem);
        }

        var repoDirectory = RepositoryDirectory(source.Repository);
        var taskDirectory = TaskDirectory(taskId);
        var checkout = Path.Combine(taskDirectory, "src");
        var gate = _locks.GetOrAdd(repoDirectory, _ => new SemaphoreSlim(1, 1));

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureRepositoryAsync(repoDirectory, cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(source.HeadSha))
            {
                source = source with { HeadSha = await FetchRefAsync(repoDirectory, source, masker, progress, cancellationToken).ConfigureAwait(false) };
            }

            var wanted = new[] { source.HeadSha, source.BaseSha }.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
            if (await HasCommitsAsync(repoDirectory, wanted, cancellationToken).ConfigureAwait(false))
            {
                progress($"using cached commits of {source.Repository}");
                Log.CacheHit(logger, taskId, source.Repository);
            }
            else
            {
                progress($"fetching {string.Join(", ", wanted.Select(Short))} from {masker.Apply(RedactUserInfo(source.CloneUrl))}");
                await FetchAsync(repoDirectory, source, wanted, masker, cancellationToken).ConfigureAwait(false);
            }

            DirectoryCleanup.TryDelete(taskDirectory);
            Directory.CreateDirectory(taskDirectory);
            await Git.RunAsync(repoDirectory, ["worktree", "prune"], cancellationToken).ConfigureAwait(false);
            await Git.RunAsync(repoDirectory, ["worktree", "add", "--detach", "--force", "--", checkout, source.HeadSha], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            DirectoryCleanup.TryDelete(taskDirectory);
            throw;
        }
        finally
        {
            gate.Release();
        }

        var workspace = new GitWorkspace(this, repoDirectory, taskDirectory, checkout, source.HeadSha);
        try
        {
            await workspace.ComputeChangedFilesAsync(source, cancellationToken).ConfigureAwait(false);
            return workspace;
        }
        catch
        {
            await workspace.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Adds a detached worktree of <paramref name="sha"/> (already fetched) at <paramref name="directory"/>, under
    /// the repository lock.</summary>
    internal async Task AddWorktreeAsync(string repoDirectory, string directory, string sha, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(repoDirectory, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Git.RunAsync(repoDirectory, ["worktree", "add", "--detach", "--force", "--", directory, sha], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Removes one extra worktree of a task (its base checkout), under the repository lock.</summary>
    internal async Task RemoveWorktreeAsync(string repoDirectory, string directory)
    {
        var gate = _locks.GetOrAdd(repoDirectory, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var (exitCode, _, stderr) = await Git.TryRunAsync(repoDirectory, ["worktree", "remove", "--force", "--force", "--", directory], limit.Token).ConfigureAwait(false);
            if (exitCode != 0)
            {
                Log.WorktreeRemoveFailed(logger, directory, stderr.Trim());
            }
        }
        catch (OperationCanceledException)
        {
            // The task directory goes next; the next checkout prunes the registration.
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Removes a task's worktree registration and directory (under the repository lock).</summary>
    internal async Task RemoveAsync(string repoDirectory, string taskDirectory, string checkout)
    {
        var gate = _locks.GetOrAdd(repoDirectory, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var (exitCode, _, stderr) = await Git.TryRunAsync(repoDirectory, ["worktree", "remove", "--force", "--force", "--", checkout], limit.Token).ConfigureAwait(false);
            if (exitCode != 0)
            {
                Log.WorktreeRemoveFailed(logger, checkout, stderr.Trim());
            }

            DirectoryCleanup.TryDelete(taskDirectory);
            if (exitCode != 0)
            {
                await Git.TryRunAsync(repoDirectory, ["worktree", "prune"], limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            DirectoryCleanup.TryDelete(taskDirectory);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task EnsureRepositoryAsync(string repoDirectory, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(repoDirectory, "HEAD")))
        {
            return;
        }

        // A directory without HEAD is a half-made cache from an interrupted first fetch: start over.
        DirectoryCleanup.TryDelete(repoDirectory);
        Directory.CreateDirectory(repoDirectory);
        await Git.RunAsync(repoDirectory, ["init", "--bare", "--quiet"], cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> HasCommitsAsync(string repoDirectory, IReadOnlyList<string> shas, CancellationToken cancellationToken)
    {
        foreach (var sha in shas)
        {
            var (exitCode, _, _) = await Git.TryRunAsync(repoDirectory, ["cat-file", "-e", sha + "^{commit}"], cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Fetches the commits by SHA (GitHub, GitLab and git's protocol v2 allow it). Servers that
    /// refuse unadvertised SHAs get a second try with the refs named in the source.
    /// </summary>
    private async Task FetchAsync(string repoDirectory, SourceSpec source, IReadOnlyList<string> wanted, SecretMasker masker, CancellationToken cancellationToken)
    {
        try
        {
            await FetchWithinLimitAsync(repoDirectory, source, wanted, masker, writeFetchHead: false, cancellationToken).ConfigureAwait(false);
        }
        catch (GitException bySha) when (FallbackRefs(source).Count > 0)
        {
            Log.FetchBySha(logger, source.Repository, bySha.Message);
            await FetchWithinLimitAsync(repoDirectory, source, FallbackRefs(source), masker, writeFetchHead: false, cancellationToken).ConfigureAwait(false);
        }

        foreach (var sha in wanted)
        {
            if (!await HasCommitsAsync(repoDirectory, [sha], cancellationToken).ConfigureAwait(false))
            {
                throw new GitException($"commit {sha} is not in {masker.Apply(RedactUserInfo(source.CloneUrl))} (fetched {string.Join(", ", FallbackRefs(source))})");
            }
        }
    }

    /// <summary>
    /// Fetches <see cref="SourceSpec.HeadRef"/> — a branch or tag name, or a full <c>refs/heads/…</c> or
    /// <c>refs/tags/…</c> — and returns the commit it points to (an annotated tag is peeled). A short name is
    /// matched by git's own rules (a tag of that name wins over a branch). Runs under the repository lock, which
    /// keeps FETCH_HEAD ours between the fetch and the read.
    /// </summary>
    private async Task<string> FetchRefAsync(string repoDirectory, SourceSpec source, SecretMasker masker, Action<string> progress, CancellationToken cancellationToken)
    {
        var name = source.HeadRef ?? "";
        if (!SourceRules.IsRefName(name))
        {
            throw new GitException(name.Length == 0
                ? "the task names neither a commit nor a ref to check out"
                : $"'{name}' is not a branch or tag name");
        }

        progress($"fetching {name} from {masker.Apply(RedactUserInfo(source.CloneUrl))}");
        await FetchWithinLimitAsync(repoDirectory, source, [name], masker, writeFetchHead: true, cancellationToken).ConfigureAwait(false);
        var (exitCode, stdout, _) = await Git.TryRunAsync(repoDirectory, ["rev-parse", "--verify", "--quiet", "FETCH_HEAD^{commit}"], cancellationToken).ConfigureAwait(false);
        var sha = stdout.Trim();
        if (exitCode != 0 || sha.Length == 0)
        {
            throw new GitException($"{name} in {masker.Apply(RedactUserInfo(source.CloneUrl))} does not point to a commit");
        }

        progress($"{name} is at {sha}");
        return sha;
    }

    /// <summary>One <c>git fetch</c> of <paramref name="refspecs"/>, bounded by <see cref="FetchTimeout"/>.</summary>
    private async Task FetchWithinLimitAsync(
        string repoDirectory,
        SourceSpec source,
        IReadOnlyList<string> refspecs,
        SecretMasker masker,
        bool writeFetchHead,
        CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(FetchTimeout);
        var environment = new Dictionary<string, string>(GitCredentials.Environment(source.CloneUrl, source.Token, source.TokenUser))
        {
            ["GIT_ALLOW_PROTOCOL"] = string.Join(':', AllowedProtocols(source)),
        };

        try
        {
            await Git.RunAsync(repoDirectory, FetchArguments(source, refspecs, writeFetchHead), limit.Token, environment, masker).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GitException($"git fetch from {masker.Apply(RedactUserInfo(source.CloneUrl))} did not finish within {FetchTimeout.TotalMinutes:0} minutes");
        }
    }

    /// <summary>
    /// <c>git fetch</c>'s argv: the transports the source may use (<see cref="AllowedProtocols"/>), then <c>--</c>, so
    /// the clone URL and the refspecs are never read as options whatever they hold (they were checked against
    /// <see cref="SourceRules"/> as well).
    /// </summary>
    internal static List<string> FetchArguments(SourceSpec source, IReadOnlyList<string> refspecs, bool writeFetchHead)
    {
        List<string> arguments = ["-c", "protocol.allow=never"];
        foreach (var protocol in AllowedProtocols(source))
        {
            arguments.AddRange(["-c", $"protocol.{protocol}.allow=always"]);
        }

        arguments.AddRange(["fetch", "--no-tags", "--quiet"]);
        if (!writeFetchHead)
        {
            arguments.Add("--no-write-fetch-head");
        }

        return [.. arguments, "--", source.CloneUrl, .. refspecs];
    }

    /// <summary>
    /// The transports a fetch may use: https and ssh; a source the server marked <see cref="SourceSpec.AllowLocal"/>
    /// (named by an admin) also file (local paths), http and git. Never ext, fd or another remote helper. Given both as
    /// <c>-c protocol.*</c> and as <c>GIT_ALLOW_PROTOCOL</c>, which git lets override any configuration, so neither the
    /// agent's environment nor its git config can widen it.
    /// </summary>
    internal static IReadOnlyList<string> AllowedProtocols(SourceSpec source) =>
        source.AllowLocal ? ["https", "ssh", "file", "http", "git"] : ["https", "ssh"];

    private static List<string> FallbackRefs(SourceSpec source)
    {
        var refs = new List<string>();
        if (source.PullRequest is { } number)
        {
            refs.Add($"refs/pull/{number}/head");
        }

        refs.AddRange(new[] { source.HeadRef, source.BaseRef }.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r!));
        return refs.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;

    /// <summary>Clone URLs may carry credentials (https://user:secret@host/...): never show them.</summary>
    internal static string RedactUserInfo(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? url.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal)
            : url;

    private static partial class Log
    {
        [LoggerMessage(401, LogLevel.Debug, "Task {TaskId}: {Repository} already has the commits; no fetch.", EventName = "RepoCacheHit")]
        public static partial void CacheHit(ILogger logger, string taskId, string repository);

        [LoggerMessage(402, LogLevel.Information, "Fetching {Repository} by SHA failed ({Reason}); fetching its refs instead.", EventName = "FetchByShaFailed")]
        public static partial void FetchBySha(ILogger logger, string repository, string reason);

        [LoggerMessage(403, LogLevel.Warning, "Could not remove worktree {Checkout}: {Reason}", EventName = "WorktreeRemoveFailed")]
        public static partial void WorktreeRemoveFailed(ILogger logger, string checkout, string reason);
    }
}
