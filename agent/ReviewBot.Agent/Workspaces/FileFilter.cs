namespace ReviewBot.Agent.Workspaces;

/// <summary>Which changed files a linter reviews, from its <c>Languages</c>.</summary>
internal static class FileFilter
{
    /// <summary>
    /// Keeps the paths matching any entry, ignoring case. An entry starting with '.' is a suffix
    /// (<c>.sh</c>, <c>.d.ts</c>); a bare word matches the extension (<c>sh</c>) or the whole file
    /// name (<c>Dockerfile</c>). No entries means every file.
    /// </summary>
    public static IReadOnlyList<string> Match(IEnumerable<string> paths, IReadOnlyList<string> languages)
    {
        var entries = languages.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (entries.Count == 0)
        {
            return paths.ToList();
        }

        return paths.Where(path => entries.Any(entry => Matches(path, entry))).ToList();
    }

    private static bool Matches(string path, string entry)
    {
        var fileName = path[(path.LastIndexOf('/') + 1)..];
        if (entry.StartsWith('.'))
        {
            return fileName.EndsWith(entry, StringComparison.OrdinalIgnoreCase);
        }

        return fileName.Equals(entry, StringComparison.OrdinalIgnoreCase)
            || fileName.EndsWith("." + entry, StringComparison.OrdinalIgnoreCase);
    }
}
