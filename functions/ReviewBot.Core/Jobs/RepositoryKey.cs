using System.Text.RegularExpressions;

namespace ReviewBot.Core.Jobs;

/// <summary>
/// The names of GitHub orgs and repositories as the configuration's <c>repos:</c> keys, job definitions and webhook
/// payloads write them: "owner" or "owner/name". One rule for all three, so a repository a job names can be listed
/// under <c>repos:</c> and arrive in a webhook. <see cref="CheckPath"/> is the wider rule of a repository as the API
/// addresses it on any host: a GitHub "owner/repo" or a GitLab project path "group/subgroup/…/project".
/// </summary>
public static partial class RepositoryKey
{
    /// <summary>Null when <paramref name="key"/> is a valid "owner" or "owner/repo"; otherwise what is wrong.</summary>
    public static string? Check(string key)
    {
        var parts = key.Split('/');
        if (parts.Length > 2)
        {
            return $"'{key}' is neither an org ('myorg') nor a repository ('myorg/myrepo')";
        }

        if (!OwnerName().IsMatch(parts[0]))
        {
            return $"'{parts[0]}' is not a GitHub org or user name (letters, digits and '-', at most 39, not starting with '-')";
        }

        if (parts.Length == 2 && (!RepositoryName().IsMatch(parts[1]) || parts[1] is "." or ".."))
        {
            return $"'{parts[1]}' is not a GitHub repository name (letters, digits, '.', '_' and '-', at most 100)";
        }

        return null;
    }

    /// <summary>
    /// Null when <paramref name="key"/> is valid as a <c>repos:</c> key or a job's repository: an org or top-level group
    /// ("acme", "my.group"), a GitHub "owner/repo", or a GitLab project path in subgroups ("group/sub/project"). Keys of
    /// one or two parts keep <see cref="Check"/>'s wording when they are wrong on every host.
    /// </summary>
    public static string? CheckScope(string key)
    {
        var parts = key.Split('/').Length;
        return parts switch
        {
            1 => Check(key) is { } problem && !IsGitLabPathPart(key) ? problem : null,
            2 => Check(key) is { } problem && CheckPath(key) is not null ? problem : null,
            _ => CheckPath(key)?.Message,
        };
    }

    /// <summary>GitLab nests at most 20 subgroups: a project path has at most 21 parts.</summary>
    public const int MaxPathParts = 21;

    /// <summary>What is wrong with a repository path, and where: <see cref="Part"/> is the wrong part's index (0 = the
    /// owner or top group, <see cref="Parts"/> − 1 = the repository or project), −1 when the path as a whole is.</summary>
    public sealed record PathProblem(int Part, int Parts, string Message);

    /// <summary>
    /// Null when <paramref name="path"/> names a repository on some host: a GitHub "owner/repo" (<see cref="Check"/>),
    /// or a GitLab project path of 2 to <see cref="MaxPathParts"/> parts (<see cref="IsGitLabPathPart"/>); otherwise the
    /// first part that is wrong. Any text is answered, never thrown at ("", "..", "a//b", "%2F").
    /// </summary>
    public static PathProblem? CheckPath(string path)
    {
        var parts = path.Split('/');
        if (parts.Length == 2 && Check(path) is null) return null;
        if (parts.Length < 2)
            return new(-1, parts.Length, $"'{Shorten(path)}' names no repository: an owner or group and a repository name are needed ('myorg/myrepo', 'group/subgroup/project')");
        if (parts.Length > MaxPathParts)
            return new(-1, parts.Length, $"'{Shorten(path)}' has {parts.Length} parts; a repository path has at most {MaxPathParts} (GitLab nests 20 subgroups)");
        for (var i = 0; i < parts.Length; i++)
        {
            if (IsGitLabPathPart(parts[i]) || (parts.Length == 2 && (i == 0 ? OwnerName() : RepositoryName()).IsMatch(parts[i]) && parts[i] is not ("." or "..")))
                continue;
            var what = i == 0 ? "an org, group or user name" : i == parts.Length - 1 ? "a repository or project name" : "a subgroup name";
            var shown = parts[i].Length == 0 ? "an empty part" : $"'{Shorten(parts[i])}'";
            return new(i, parts.Length, $"part {i + 1} of the repository path ({shown}) is not {what} (letters, digits, '_', '-' and '.', not starting with '-' or '.', no '..', not ending in .git or .atom)");
        }

        return null;
    }

    /// <summary>One part of a GitLab <c>path_with_namespace</c> (GitLab's own path rules): letters, digits, '_', '-' and
    /// '.', 1 to 255 of them, not starting with '-' or '.', no "..", not ending in ".git" or ".atom".</summary>
    public static bool IsGitLabPathPart(string part) =>
        part.Length is > 0 and <= 255 && part[0] is not ('-' or '.')
        && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
        && !part.EndsWith(".git", StringComparison.OrdinalIgnoreCase) && !part.EndsWith(".atom", StringComparison.OrdinalIgnoreCase)
        && !part.Contains("..", StringComparison.Ordinal);

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

    // '_' is not allowed in org names, but managed (EMU) user accounts end in "_shortcode" and can own repositories.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,38}$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnerName();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryName();
}
