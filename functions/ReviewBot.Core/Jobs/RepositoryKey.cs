using System.Text.RegularExpressions;

namespace ReviewBot.Core.Jobs;

/// <summary>
/// The names of GitHub orgs and repositories as the configuration's <c>repos:</c> keys, job definitions and webhook
/// payloads write them: "owner" or "owner/name". One rule for all three, so a repository a job names can be listed
/// under <c>repos:</c> and arrive in a webhook.
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

    // '_' is not allowed in org names, but managed (EMU) user accounts end in "_shortcode" and can own repositories.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,38}$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnerName();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryName();
}
