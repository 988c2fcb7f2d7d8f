using System.Diagnostics;

namespace ReviewBot.Testing;

/// <summary>A real bare git repository in a temp folder with a base commit and a head commit (a pull request),
/// reached by a file:// URL like any clone URL.</summary>
public sealed class GitRepo : IDisposable
{
    private GitRepo(string root) => Root = root;

    public string Root { get; }
    public string BarePath => Path.Combine(Root, "origin.git");
    public string CloneUrl => new Uri(BarePath).AbsoluteUri;
    public string BaseSha { get; private set; } = "";
    public string HeadSha { get; private set; } = "";

    /// <summary>Creates the repository: <paramref name="baseFiles"/> committed on main, then <paramref name="headFiles"/>
    /// (null content = delete) committed on branch "feature".</summary>
    public static GitRepo Create(IReadOnlyDictionary<string, string> baseFiles, IReadOnlyDictionary<string, string?> headFiles)
    {
        var repo = new GitRepo(Directory.CreateTempSubdirectory("reviewbot-git-").FullName);
        var work = Path.Combine(repo.Root, "work");
        Git(repo.Root, "init", "--bare", "-b", "main", repo.BarePath);
        Git(repo.Root, "init", "-b", "main", work);
        Write(work, baseFiles.ToDictionary(kv => kv.Key, kv => (string?)kv.Value));
        Git(work, "add", "-A");
        Git(work, "commit", "-m", "base");
        repo.BaseSha = Git(work, "rev-parse", "HEAD").Trim();
        Git(work, "checkout", "-b", "feature");
        Write(work, headFiles);
        Git(work, "add", "-A");
        Git(work, "commit", "-m", "head");
        repo.HeadSha = Git(work, "rev-parse", "HEAD").Trim();
        Git(work, "push", repo.BarePath, "main", "feature");
        return repo;
    }

    private static void Write(string work, IReadOnlyDictionary<string, string?> files)
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(work, path);
            if (content is null) { File.Delete(full); continue; }
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
    }

    public static string Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "user.name=ReviewBot Tests", "-c", "user.email=tests@reviewbot.invalid", "-c", "commit.gpgsign=false" }.Concat(args))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000)) { p.Kill(true); throw new TimeoutException("git " + string.Join(' ', args)); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>Pushes another commit to the pull request's branch (a "synchronize"); <see cref="HeadSha"/> moves to it.</summary>
    public string Push(IReadOnlyDictionary<string, string?> files)
    {
        var work = Path.Combine(Root, "work");
        Write(work, files);
        Git(work, "add", "-A");
        Git(work, "commit", "-m", "more");
        HeadSha = Git(work, "rev-parse", "HEAD").Trim();
        Git(work, "push", BarePath, "feature");
        return HeadSha;
    }

    /// <summary>The pull request's diff as GitHub shows it: <c>git diff base...head</c> (merge base to head), renames detected.</summary>
    public string Diff(string? baseSha = null, string? headSha = null) =>
        Git(Path.Combine(Root, "work"), "diff", "--no-color", "--no-ext-diff", "-M", $"{baseSha ?? BaseSha}...{headSha ?? HeadSha}");

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
