using System.Diagnostics;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Tests.Agent.TestSupport;

/// <summary>
/// A real git remote in a temp dir, reachable by file:// URL:
/// <code>
/// main:    base ──────────── main2 (README.md changed, main-only.sh added)
///            \
/// feature:    head (a.sh changed, old.sh → new.sh, gone.sh deleted, c.py added)
/// </code>
/// <see cref="BaseSha"/> is main2, so base...head (from the merge base) is a.sh, c.py, new.sh.
/// </summary>
public sealed class TestRepo : IDisposable
{
    private readonly TempDirectory _root = new("rb-repo");

    public TestRepo()
    {
        var bare = _root.Combine("origin.git");
        var work = _root.Combine("work");
        Directory.CreateDirectory(bare);
        Directory.CreateDirectory(work);
        Git(bare, "init", "--bare", "--quiet");
        Git(work, "init", "--quiet", "-b", "main");

        Write(work, "a.sh", "#!/bin/sh\necho \"hello\"\n");
        Write(work, "b.txt", "plain text\n");
        Write(work, "old.sh", "#!/bin/sh\n# a script that is renamed on the feature branch\necho \"renamed\"\necho \"unchanged\"\n");
        Write(work, "gone.sh", "#!/bin/sh\necho \"deleted on the feature branch\"\n");
        Write(work, "README.md", "# test\n");
        Commit(work, "base");
        BaseOfBranch = Git(work, "rev-parse", "HEAD").Trim();

        Git(work, "checkout", "--quiet", "-b", "feature");
        Write(work, "a.sh", "#!/bin/sh\necho $1\n");
        Git(work, "mv", "old.sh", "new.sh");
        Git(work, "rm", "--quiet", "gone.sh");
        Write(work, "c.py", "print('hi')\n");
        Commit(work, "head");
        HeadSha = Git(work, "rev-parse", "HEAD").Trim();

        Git(work, "checkout", "--quiet", "main");
        Write(work, "README.md", "# test, changed on main\n");
        Write(work, "main-only.sh", "#!/bin/sh\necho main\n");
        Commit(work, "main moves on");
        BaseSha = Git(work, "rev-parse", "HEAD").Trim();

        Git(work, "push", "--quiet", bare, "main", "feature");
        CloneUrl = new Uri(bare).AbsoluteUri;
    }

    public string CloneUrl { get; }

    public string HeadSha { get; }

    public string BaseSha { get; }

    /// <summary>The commit feature branched from (the merge base).</summary>
    public string BaseOfBranch { get; }

    public static IReadOnlyList<string> ExpectedChangedFiles { get; } = ["a.sh", "c.py", "new.sh"];

    /// <summary>The source of a task on this repository; a local one, so marked <see cref="SourceSpec.AllowLocal"/> as a job's is.</summary>
    public SourceSpec Source(string? token = null, bool withBase = true) =>
        new("acme/widgets", CloneUrl, HeadSha, "feature", withBase ? BaseSha : null, withBase ? "main" : null, 7, token) { AllowLocal = true };

    public void Dispose() => _root.Dispose();

    private static void Write(string work, string path, string content) => File.WriteAllText(Path.Combine(work, path), content);

    private static void Commit(string work, string message)
    {
        Git(work, "add", "-A");
        Git(work, "commit", "--quiet", "-m", message);
    }

    internal static string Git(string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var setting in new[] { "user.name=Test", "user.email=test@example.com", "commit.gpgsign=false", "init.defaultBranch=main" })
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(setting);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(true);
            throw new TimeoutException($"git {string.Join(' ', arguments)} hung");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {stderr.Result}");
        }

        return stdout.Result;
    }
}
