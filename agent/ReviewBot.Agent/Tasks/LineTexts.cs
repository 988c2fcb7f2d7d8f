using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Tasks;

/// <summary>Gives each finding the text of its own line (<see cref="Finding.LineText"/>) as the checkout has it, so the
/// server can tell a base's finding from a new one by what the line says rather than where it is. A line that cannot be
/// read (line 0, outside the file, a path outside the checkout, a binary file) leaves the finding as it is.</summary>
internal static class LineTexts
{
    public static IReadOnlyList<Finding> Attach(IReadOnlyList<Finding> findings, string checkout)
    {
        var root = Path.GetFullPath(checkout);
        var files = new Dictionary<string, string[]?>(StringComparer.Ordinal);
        return [.. findings.Select(f =>
        {
            if (f.Line <= 0 || f.File.Length == 0) return f;
            if (!files.TryGetValue(f.File, out var lines)) files[f.File] = lines = Read(root, f.File);
            if (lines is null || f.Line > lines.Length) return f;
            var text = lines[f.Line - 1].TrimEnd('\r');
            return f with { LineText = text.Length > Finding.MaxLineText ? text[..Finding.MaxLineText] : text };
        })];
    }

    private static string[]? Read(string root, string file)
    {
        var path = Path.GetFullPath(Path.Combine(root, file));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path)) return null;
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
