namespace ReviewBot.Functions.Agents;

/// <summary>
/// Agent versions against the server's minimum (<see cref="AgentsOptions.MinimumAgentVersion"/>). A version is
/// compared by its numeric core (<c>1.4.2</c> of <c>1.4.2-beta+abc</c>); a pre-release is older than its release.
/// An agent whose version does not parse is flagged too: nobody can tell it is recent enough.
/// </summary>
public static class AgentVersions
{
    /// <summary>The numeric core and whether it is a pre-release; null when the text does not start with one.</summary>
    public static (Version Core, bool PreRelease)? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var core = text.Trim().TrimStart('v', 'V');
        var plus = core.IndexOf('+');
        if (plus >= 0) core = core[..plus];
        var dash = core.IndexOf('-');
        var preRelease = dash >= 0;
        if (preRelease) core = core[..dash];
        if (!Version.TryParse(core, out var version) && !(int.TryParse(core, out var major) && (version = new Version(major, 0)) is not null)) return null;
        return (version, preRelease);
    }

    /// <summary>True when <paramref name="version"/> is older than <paramref name="minimum"/> (or unreadable); false
    /// when there is no minimum.</summary>
    public static bool IsOlder(string? version, string? minimum)
    {
        if (Parse(minimum) is not { } min) return false;
        if (Parse(version) is not { } v) return true;
        var cmp = Normalize(v.Core).CompareTo(Normalize(min.Core));
        return cmp < 0 || (cmp == 0 && v.PreRelease && !min.PreRelease);
    }

    /// <summary>1.4 and 1.4.0 are the same version.</summary>
    private static Version Normalize(Version v) => new(v.Major, v.Minor, Math.Max(0, v.Build), Math.Max(0, v.Revision));

    public static string Warning(string? version, string minimum) =>
        $"Agent version {version ?? "(unknown)"} is older than the server's minimum {minimum}: upgrade it (download the current reviewbot-agent).";
}
