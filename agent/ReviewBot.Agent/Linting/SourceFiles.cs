namespace ReviewBot.Agent.Linting;

/// <summary>
/// The text of the files findings point at, read from the checkout the linter ran on, so that a fix given as
/// character ranges can be turned into whole lines (<see cref="FixBuilder"/>). Files are read once; a file that
/// cannot be read (missing, outside the root, larger than <see cref="MaxBytes"/>) has no text, and its fixes are
/// dropped. Without a root nothing is read.
/// </summary>
internal sealed class SourceFiles(string? root)
{
    public const long MaxBytes = 4 * 1024 * 1024;

    public static SourceFiles None { get; } = new(null);

    private readonly Dictionary<string, string[]?> _lines = new(StringComparer.Ordinal);

    /// <summary>The lines of <paramref name="path"/> (repository-relative, or absolute), without their line ends.</summary>
    public string[]? Lines(string path)
    {
        if (root is null || path.Length == 0)
        {
            return null;
        }

        if (!_lines.TryGetValue(path, out var lines))
        {
            _lines[path] = lines = Read(path);
        }

        return lines;
    }

    private string[]? Read(string path)
    {
        try
        {
            var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(root!, path));
            var info = new FileInfo(full);
            if (!info.Exists || info.Length > MaxBytes)
            {
                return null;
            }

            var text = File.ReadAllText(full);
            var lines = text.Split('\n');
            if (text.EndsWith('\n'))
            {
                lines = lines[..^1];
            }

            return [.. lines.Select(l => l.EndsWith('\r') ? l[..^1] : l)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
