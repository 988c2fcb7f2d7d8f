using System.Text.RegularExpressions;

namespace ReviewBot.Agent.Linting;

/// <summary>
/// Turns the paths linters print into the form findings use: '/' separated, relative to the repository root.
/// <list type="bullet">
/// <item><c>file://</c> URIs become local paths (percent-escapes decoded, <c>file:///C:/x</c> → <c>C:/x</c>).</item>
/// <item>Backslashes become '/'.</item>
/// <item>Absolute paths under the repository root lose that prefix (case-insensitively for a Windows drive root).</item>
/// <item>Leading <c>./</c> segments are dropped.</item>
/// </list>
/// Paths outside the root are kept absolute: they are still worth showing, they just cannot be commented on.
/// </summary>
internal sealed partial class PathNormalizer
{
    private readonly string? _rootPrefix;
    private readonly StringComparison _comparison;

    public PathNormalizer(string? repoRoot)
    {
        if (string.IsNullOrWhiteSpace(repoRoot))
        {
            return;
        }

        var root = ToLocalSlashPath(repoRoot.Trim()).TrimEnd('/');
        _rootPrefix = root + "/";
        _comparison = DrivePath().IsMatch(root) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
    }

    public string Normalize(string path)
    {
        var p = ToLocalSlashPath(path.Trim());
        if (_rootPrefix is not null && p.StartsWith(_rootPrefix, _comparison))
        {
            p = p[_rootPrefix.Length..];
        }

        while (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p[2..];
        }

        return p;
    }

    private static string ToLocalSlashPath(string path)
    {
        if (path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            path = FileUriToPath(path);
        }

        return path.Replace('\\', '/');
    }

    /// <summary>Decodes file URIs by hand rather than through <see cref="Uri.LocalPath"/>, whose result for
    /// drive-letter URIs depends on the OS the agent runs on.</summary>
    private static string FileUriToPath(string uri)
    {
        var rest = uri["file:".Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            rest = rest[2..];
            var slash = rest.IndexOf('/');
            var host = slash < 0 ? rest : rest[..slash];
            rest = slash < 0 ? "/" : rest[slash..];
            if (host.Length > 0 && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                rest = "//" + host + rest; // UNC share: file://server/share/x → //server/share/x
            }
        }

        rest = Uri.UnescapeDataString(rest);
        return SlashDrivePath().IsMatch(rest) ? rest[1..] : rest;
    }

    [GeneratedRegex(@"^[A-Za-z]:(/|$)")]
    private static partial Regex DrivePath();

    [GeneratedRegex(@"^/[A-Za-z]:/")]
    private static partial Regex SlashDrivePath();
}
