using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Workspaces;

/// <summary>
/// The findings of a linter on a merge base (<c>filter: new</c>), kept on the agent so the next push of a pull request
/// on the same base does not lint the base again. Layout: <c>&lt;work-dir&gt;/baselines/&lt;merge base
/// SHA&gt;-&lt;linter&gt;-&lt;key&gt;.json</c>, where the key is a hash of everything that decides the output besides
/// the commit: command, args, env, workDir, format and the files given to the linter. Bounded: at most
/// <see cref="MaxEntries"/> files, the least recently used removed first (a hit touches its file). A file that cannot
/// be read is a miss. Writes go through a temporary file and a rename, so two tasks writing one entry never leave half
/// a file.
/// </summary>
internal sealed class BaselineCache(string directory)
{
    public const int MaxEntries = 200;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Directory { get; } = directory;

    public string PathOf(string mergeBase, LinterSpec linter, IReadOnlyList<string> files) =>
        Path.Combine(Directory, $"{mergeBase}-{PathNames.Sanitize(linter.Name, ignoreCase: false)}-{Key(linter, files)}.json");

    public IReadOnlyList<Finding>? TryRead(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            var findings = JsonSerializer.Deserialize<List<Finding>>(File.ReadAllText(path), Json);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            return findings;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Write(string path, IReadOnlyList<Finding> findings)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(findings, Json));
            File.Move(temporary, path, overwrite: true);
            Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written costs the next run a base lint, nothing else.
        }
    }

    /// <summary>Entries on disk now (for the README's bound and the tests).</summary>
    public int Count => System.IO.Directory.Exists(Directory) ? System.IO.Directory.GetFiles(Directory, "*.json").Length : 0;

    private void Trim()
    {
        var entries = new DirectoryInfo(Directory).GetFiles("*.json");
        if (entries.Length <= MaxEntries) return;
        foreach (var old in entries.OrderBy(f => f.LastWriteTimeUtc).Take(entries.Length - MaxEntries))
        {
            try { old.Delete(); }
            catch (IOException) { }
        }
    }

    private static string Key(LinterSpec linter, IReadOnlyList<string> files)
    {
        var text = new StringBuilder();
        void Add(string s) => text.Append(s.Length).Append(':').Append(s).Append('\n');
        foreach (var part in linter.Command) Add(part);
        Add("--args");
        foreach (var part in linter.Args) Add(part);
        Add("--env");
        foreach (var (name, value) in linter.Env.OrderBy(e => e.Key, StringComparer.Ordinal)) { Add(name); Add(value); }
        Add(linter.WorkDir ?? "");
        Add(linter.Format);
        Add("--files");
        foreach (var file in files) Add(file);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
