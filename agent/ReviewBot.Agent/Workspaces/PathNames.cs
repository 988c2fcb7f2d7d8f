using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ReviewBot.Agent.Workspaces;

/// <summary>Turns repository names and task ids into safe, collision-free directory names.</summary>
internal static partial class PathNames
{
    /// <summary>
    /// <c>Owner/Repo</c> becomes <c>owner-repo-1a2b3c4d</c>: lower case, runs of other characters
    /// replaced by '-', plus a hash of the original so that <c>a-b/c</c> and <c>a/b-c</c> differ.
    /// </summary>
    public static string Sanitize(string name, bool ignoreCase)
    {
        var key = ignoreCase ? name.ToLowerInvariant() : name;
        var readable = Unsafe().Replace(key.ToLowerInvariant(), "-").Trim('-', '.');
        if (readable.Length > 60)
        {
            readable = readable[..60].TrimEnd('-', '.');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];
        return readable.Length == 0 ? hash : $"{readable}-{hash}";
    }

    [GeneratedRegex("[^a-z0-9._-]+")]
    private static partial Regex Unsafe();
}
