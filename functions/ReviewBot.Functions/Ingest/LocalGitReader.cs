using System.Diagnostics;
using System.Text;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Functions.Ingest;

/// <summary>
/// <see cref="IRepositoryReader"/> for change requests whose clone URL is a local path or <c>file://</c> URL (allowed
/// only with <see cref="WebhookSourceOptions.AllowLocalCloneUrls"/>, for tests and demos): it runs git on that
/// repository, as the agent would after cloning it. Names reach git only after <see cref="SourceRules"/> checked them,
/// behind <c>--</c> or as <c>sha:path</c>.
/// </summary>
public sealed partial class LocalGitReader(ILogger<LocalGitReader> log) : IRepositoryReader
{
    /// <summary>Output beyond this is not read (a repository larger than this has other readers).</summary>
    private const int MaxOutputChars = 16 * 1024 * 1024;
    private static readonly TimeSpan GitTimeout = TimeSpan.FromSeconds(30);

    public bool Serves(ChangeRequest change) => change.AllowLocal && Directory(change) is not null;

    public async Task<IReadOnlyList<string>?> ChangedFilesAsync(ChangeRequest change, CancellationToken ct) =>
        change.BaseSha is not { } baseSha || !IsSha(baseSha) || !IsSha(change.HeadSha) ? null
        : Split(await GitAsync(change, ["diff", "--name-only", "-z", "--no-renames", $"{baseSha}...{change.HeadSha}", "--"], ct));

    public async Task<IReadOnlyList<string>?> FilesAsync(ChangeRequest change, string sha, CancellationToken ct) =>
        !IsSha(sha) ? null : Split(await GitAsync(change, ["ls-tree", "-r", "-z", "--name-only", sha, "--"], ct));

    public async Task<RepositoryFile?> ReadFileAsync(ChangeRequest change, string path, string sha, CancellationToken ct)
    {
        // A ref name passed IsRefName: no ':', no leading '-', so "ref:path" is one revision argument.
        if (!(IsSha(sha) || SourceRules.IsRefName(sha)) || path.StartsWith('-') || path.Contains(':')) return null;
        var kind = await GitAsync(change, ["cat-file", "-t", $"{sha}:{path}"], ct, quiet: true);
        if (kind?.Trim() != "blob") return await GitAsync(change, ["cat-file", "-t", sha], ct) is null ? null : RepositoryFile.Missing;
        return await GitAsync(change, ["cat-file", "blob", $"{sha}:{path}"], ct) is { } text ? new RepositoryFile(text) : null;
    }

    private static string? Directory(ChangeRequest change)
    {
        var url = change.CloneUrl;
        if (SourceRules.ParseCloneUrl(url, out _) is not { Kind: CloneUrlKind.Local }) return null;
        var path = url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.LocalPath : url;
        return System.IO.Directory.Exists(path) ? path : null;
    }

    private static bool IsSha(string sha) => SourceRules.IsSha(sha);

    private static string[]? Split(string? output) => output?.Split('\0', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>git's standard output, or null when it fails, times out or says too much (logged unless quiet).</summary>
    private async Task<string?> GitAsync(ChangeRequest change, string[] args, CancellationToken ct, bool quiet = false)
    {
        if (Directory(change) is not { } dir) return null;
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var a in new[] { "-C", dir, "-c", "core.quotePath=false", "--no-pager" }.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(GitTimeout);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("git did not start");
        try
        {
            var stdout = ReadCappedAsync(process.StandardOutput, limit.Token);
            var stderr = process.StandardError.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token);
            var (text, complete) = await stdout;
            var error = await stderr;
            if (process.ExitCode == 0 && complete) return text;
            if (!quiet) LogGitFailed(log, string.Join(' ', args.Take(2)), change.Name, complete ? error.Trim() : $"output over {MaxOutputChars} characters");
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            LogGitFailed(log, string.Join(' ', args.Take(2)), change.Name, $"no answer within {GitTimeout.TotalSeconds} s");
            return null;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    private static async Task<(string Text, bool Complete)> ReadCappedAsync(StreamReader reader, CancellationToken ct)
    {
        var text = new StringBuilder();
        var buffer = new char[64 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, ct)) > 0)
        {
            if (text.Length + read > MaxOutputChars) return (text.ToString(), false);
            text.Append(buffer, 0, read);
        }

        return (text.ToString(), true);
    }

    [LoggerMessage(EventId = 611, Level = LogLevel.Warning, Message = "git {Command} on {ChangeRequest} failed: {Error}")]
    private static partial void LogGitFailed(ILogger logger, string command, string changeRequest, string error);
}
