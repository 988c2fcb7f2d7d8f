using Cronos;

namespace ReviewBot.Functions.Jobs;

/// <summary>
/// A cron trigger's schedule: a Cronos expression (five fields, or six with seconds first, or a macro such as
/// <c>@daily</c>) in a time zone (IANA or Windows id; UTC when none). Pure and thread-safe.
/// </summary>
public sealed class CronSchedule
{
    private CronSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        Expression = expression;
        Zone = zone;
    }

    public CronExpression Expression { get; }
    public TimeZoneInfo Zone { get; }

    /// <summary>The schedule of a cron trigger; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static CronSchedule Of(JobTrigger trigger) =>
        TryParseExpression(trigger.Cron, out var expression, out var problem) && TryFindZone(trigger.TimeZone, out var zone, out problem)
            ? new CronSchedule(expression, zone)
            : throw new FormatException(problem);

    /// <summary>The schedule, or null when the trigger's expression or time zone no longer resolves (a time zone this
    /// machine does not know, for a definition stored by another).</summary>
    public static CronSchedule? TryOf(JobTrigger trigger) =>
        TryParseExpression(trigger.Cron, out var expression, out _) && TryFindZone(trigger.TimeZone, out var zone, out _) ? new CronSchedule(expression, zone) : null;

    /// <summary>The next <paramref name="count"/> occurrences strictly after <paramref name="from"/>, in the schedule's zone.</summary>
    public IReadOnlyList<DateTimeOffset> Next(DateTimeOffset from, int count)
    {
        var list = new List<DateTimeOffset>(count);
        var at = from;
        while (list.Count < count && Expression.GetNextOccurrence(at, Zone) is { } next)
        {
            list.Add(next);
            at = next;
        }
        return list;
    }

    /// <summary>Five fields (minute first) or six (seconds first), told apart by counting; '@' macros as they are.</summary>
    public static bool TryParseExpression(string? text, out CronExpression expression, out string problem)
    {
        expression = null!;
        problem = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "a cron expression is required, e.g. \"0 0 2 * * *\" (seconds first) or \"0 2 * * *\"";
            return false;
        }

        var trimmed = text.Trim();
        var fields = trimmed.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
        CronFormat[] formats = trimmed.StartsWith('@') ? [CronFormat.Standard, CronFormat.IncludeSeconds]
            : fields == 5 ? [CronFormat.Standard]
            : fields == 6 ? [CronFormat.IncludeSeconds]
            : [];
        if (formats.Length == 0)
        {
            problem = $"'{trimmed}' has {fields} field(s); expected 5 (minute hour day month weekday) or 6 (seconds first), or a macro such as @daily";
            return false;
        }

        foreach (var format in formats)
        {
            try
            {
                expression = CronExpression.Parse(trimmed, format);
                return true;
            }
            catch (CronFormatException e)
            {
                problem = $"'{trimmed}' is not a valid cron expression: {e.Message}";
            }
        }
        return false;
    }

    /// <summary>An IANA ("Europe/Berlin") or Windows ("W. Europe Standard Time") id; UTC for null or empty.</summary>
    public static bool TryFindZone(string? id, out TimeZoneInfo zone, out string problem)
    {
        zone = TimeZoneInfo.Utc;
        problem = "";
        if (string.IsNullOrWhiteSpace(id)) return true;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            problem = $"unknown time zone '{id}'; use an IANA id such as \"Europe/Berlin\" or a Windows id such as \"W. Europe Standard Time\"";
            return false;
        }
    }
}
