using System.Globalization;
using System.Text.RegularExpressions;

namespace ReviewBot.Core.Jobs;

/// <summary>
/// How durations are written in the configuration file, job definitions and chat commands: a TimeSpan ("00:05:00",
/// needs a ':' since a bare "5" would be 5 days) or Go-style units ("1h30m", "5m", "90s"); where days make sense (reminder
/// policies, snoozes) an optional leading day count ("2d", "1d6h"). Callers decide what range is allowed.
/// </summary>
public static partial class Durations
{
    /// <summary>"00:05:00" or "1h30m", "5m", "90s"; false for anything else (also on overflow).</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Contains(':'))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
        }

        var match = UnitDuration().Match(text);
        if (!match.Success || text.Length == 0)
        {
            return false;
        }

        try
        {
            duration = TimeSpan.FromHours(Number(match, "h")) + TimeSpan.FromMinutes(Number(match, "m")) + TimeSpan.FromSeconds(Number(match, "s"));
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }

        static long Number(Match match, string unit) =>
            match.Groups[unit].Success ? long.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary><see cref="TryParse"/> with an optional leading day count ("2d", "1d6h").</summary>
    public static bool TryParseWithDays(string text, out TimeSpan span)
    {
        span = default;
        var match = DaysPrefix().Match(text);
        var days = 0;
        if (match.Success && !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out days)) return false;
        var rest = match.Success ? text[match.Length..] : text;
        var part = TimeSpan.Zero;
        if (rest.Length == 0 ? !match.Success : !TryParse(rest, out part)) return false;
        try
        {
            span = TimeSpan.FromDays(days) + part;
            return true;
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitDuration();

    [GeneratedRegex(@"^(\d+)d", RegexOptions.CultureInvariant)]
    private static partial Regex DaysPrefix();
}
