using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace ReviewBot.Contracts.Agents;

/// <summary>
/// Which changed files of a pull request a linter's task reviews, beyond its languages: the linter's <c>paths</c> and
/// <c>ignore</c> globs (gitignore syntax, see <see cref="GitignorePattern"/>), and, for a task of one module of a
/// monorepo, the module's directory. The server decides with it which linters and modules get a task; the agent applies
/// the same rules to the files it passes to the linter, so both sides agree on every file.
/// </summary>
/// <param name="Paths">A file counts only when these match it (the last matching pattern decides; <c>!pattern</c>
/// excludes again); empty = every file.</param>
/// <param name="Ignore">A file these match (the last matching pattern decides; <c>!pattern</c> keeps it) does not count.</param>
public sealed record PathScope(IReadOnlyList<string> Paths, IReadOnlyList<string> Ignore)
{
    /// <summary>The module directory ('/' separated, relative to the repository root; "" = the root) whose files count;
    /// null = no module.</summary>
    public string? Module { get; init; }

    /// <summary>Module directories inside <see cref="Module"/>: their files belong to them, not to it.</summary>
    public IReadOnlyList<string> NestedModules { get; init; } = [];

    /// <summary>Whether the repository path <paramref name="path"/> ('/' separated, as git lists it) counts.</summary>
    public bool Counts(string path)
    {
        if (Module is { } module && !(InDirectory(path, module) && !NestedModules.Any(n => InDirectory(path, n))))
        {
            return false;
        }

        return (Paths.Count == 0 || GitignorePattern.Decide(Paths, path)) && !GitignorePattern.Decide(Ignore, path);
    }

    /// <summary>Whether <paramref name="path"/> lies in <paramref name="directory"/> ("" = the root).</summary>
    public static bool InDirectory(string path, string directory) =>
        directory.Length == 0 || (path.Length > directory.Length && path[directory.Length] == '/' && path.StartsWith(directory, StringComparison.Ordinal));
}

/// <summary>
/// One pattern of gitignore syntax (https://git-scm.com/docs/gitignore#_pattern_format), matched against repository
/// paths: <c>*</c>, <c>?</c> and <c>[a-z]</c> stop at '/'; <c>**/</c>, <c>/**/</c> and <c>/**</c> span directories; a
/// pattern with a '/' other than a trailing one is anchored at the root, else it matches at any depth; a trailing '/'
/// matches directories only; a pattern matching a directory matches every file below it; <c>!</c> negates; <c>\</c>
/// escapes. Case-sensitive, as git is by default.
/// </summary>
public static class GitignorePattern
{
    private static readonly ConcurrentDictionary<string, Compiled> Cache = new(StringComparer.Ordinal);

    private sealed record Compiled(bool Negated, bool DirectoryOnly, Regex Regex);

    /// <summary>Null when <paramref name="pattern"/> is a usable pattern, else why not (for the configuration's errors).</summary>
    public static string? Problem(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return "an empty pattern matches nothing";
        if (pattern.StartsWith('#')) return "a pattern starting with '#' is a comment in gitignore syntax; write \\# for a literal '#'";
        var body = pattern.StartsWith('!') ? pattern[1..] : pattern;
        if (body.Trim('/').Length == 0) return "the pattern names no file or directory";
        if (body.Contains('\0')) return "a pattern cannot contain NUL";
        try
        {
            Compile(pattern);
            return null;
        }
        catch (ArgumentException)
        {
            return "a '[' is not closed by ']'";
        }
    }

    /// <summary>Whether <paramref name="patterns"/>, read in order as a gitignore file is, select <paramref name="path"/>:
    /// the last pattern matching it (or a directory above it) decides; none = false.</summary>
    public static bool Decide(IReadOnlyList<string> patterns, string path)
    {
        var selected = false;
        foreach (var pattern in patterns)
        {
            var compiled = Compile(pattern);
            if (Matches(compiled, path)) selected = !compiled.Negated;
        }

        return selected;
    }

    /// <summary>Whether the pattern (its '!' ignored) matches <paramref name="path"/> or one of its directories.</summary>
    public static bool Matches(string pattern, string path) => Matches(Compile(pattern), path);

    private static bool Matches(Compiled pattern, string path)
    {
        // The path itself (a file), then each directory above it: a matched directory takes every file below it.
        for (var end = path.Length; end > 0; end = path.LastIndexOf('/', end - 1))
        {
            var isDirectory = end < path.Length;
            if ((isDirectory || !pattern.DirectoryOnly) && pattern.Regex.IsMatch(path.AsSpan(0, end)))
            {
                return true;
            }
        }

        return false;
    }

    private static Compiled Compile(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var compiled)) return compiled;
        compiled = Build(pattern);
        if (Cache.Count > 4096) Cache.Clear(); // patterns come from configuration; a bound keeps a hostile stream harmless
        Cache[pattern] = compiled;
        return compiled;
    }

    private static Compiled Build(string pattern)
    {
        var negated = pattern.StartsWith('!');
        var body = negated ? pattern[1..] : pattern;
        if (body.StartsWith("\\!", StringComparison.Ordinal) || body.StartsWith("\\#", StringComparison.Ordinal)) body = body[1..];
        body = TrimUnescapedTrailingSpaces(body);
        var directoryOnly = body.EndsWith('/');
        body = body.TrimEnd('/');
        var anchored = body.Contains('/');
        body = body.TrimStart('/');

        var regex = new StringBuilder("^");
        if (!anchored) regex.Append("(?:.*/)?");
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            switch (c)
            {
                case '*' when i + 1 < body.Length && body[i + 1] == '*' && (i == 0 || body[i - 1] == '/'):
                    if (i + 2 == body.Length) { regex.Append(".*"); i++; }
                    else if (body[i + 2] == '/') { regex.Append("(?:.*/)?"); i += 2; }
                    else { regex.Append("[^/]*"); i++; }
                    break;
                case '*':
                    while (i + 1 < body.Length && body[i + 1] == '*') i++;
                    regex.Append("[^/]*");
                    break;
                case '?': regex.Append("[^/]"); break;
                case '[':
                    var close = body.IndexOf(']', i + 2);
                    if (close < 0) throw new ArgumentException("unclosed '['", nameof(pattern));
                    var set = body[(i + 1)..close];
                    var negatedSet = set.StartsWith('!') || set.StartsWith('^');
                    if (negatedSet) set = set[1..];
                    regex.Append(negatedSet ? "[^/" : "[").Append(set.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                case '\\' when i + 1 < body.Length: regex.Append(Regex.Escape(body[++i].ToString())); break;
                default: regex.Append(Regex.Escape(c.ToString())); break;
            }
        }

        regex.Append('$');
        return new Compiled(negated, directoryOnly, new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1)));
    }

    /// <summary>Trailing spaces are dropped unless quoted with '\' (gitignore).</summary>
    private static string TrimUnescapedTrailingSpaces(string body)
    {
        var end = body.Length;
        while (end > 0 && body[end - 1] == ' ' && !(end > 1 && body[end - 2] == '\\')) end--;
        return body[..end];
    }
}
