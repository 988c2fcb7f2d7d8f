using System.Diagnostics.CodeAnalysis;
using Cronos;

namespace ReviewBot.Core.Jobs;

/// <summary>
/// A cron trigger's schedule: a Cronos expression (five fields, or six with seconds first, or a macro such as
/// <c>@daily</c>) in a time zone (IANA or Windows id; UTC when none). Pure: no clock, no I/O; thread-safe. The one
/// reading of a schedule: the validator, the "next runs" preview and the scheduler all parse with it, so what a user
/// is shown is what fires.
/// Daylight saving time follows Cronos: a time in the skipped spring hour runs at the first valid instant after
/// it (02:30 → 03:00); in the repeated autumn hour an interval expression (<c>*</c>, a range or a step in the
/// second, minute or hour field) fires in both copies, any other fires once, in the first copy.
/// </summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(string text, CronExpression expression, TimeZoneInfo zone)
    {
        Text = text;
        _expression = expression;
        TimeZone = zone;
    }

    /// <summary>The expression as written, trimmed.</summary>
    public string Text { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Parses, or throws <see cref="FormatException"/> with a message for people.</summary>
    public static CronSchedule Parse(string expression, string? timeZone = null) =>
        TryParse(expression, timeZone, out var schedule, out var error) ? schedule : throw new FormatException(error);

    public static bool TryParse(string? expression, string? timeZone, [NotNullWhen(true)] out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        if (!TryParseExpression(expression, out var parsed, out error) || !TryFindZone(timeZone, out var zone, out error)) return false;
        schedule = new CronSchedule(expression!.Trim(), parsed, zone);
        return true;
    }

    /// <summary>The schedule of a cron trigger; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static CronSchedule Of(JobTrigger trigger) => Parse(trigger.Cron ?? "", trigger.TimeZone);

    /// <summary>The schedule, or null when the trigger's expression or time zone no longer resolves (a time zone this
    /// machine does not know, for a definition stored by another).</summary>
    public static CronSchedule? TryOf(JobTrigger trigger) => TryParse(trigger.Cron, trigger.TimeZone, out var schedule, out _) ? schedule : null;

    /// <summary>The expression alone (the validator reports it apart from the zone): five fields (minute first) or six
    /// (seconds first), told apart by counting whitespace-separated fields; '@' macros as they are.</summary>
    public static bool TryParseExpression(string? text, [NotNullWhen(true)] out CronExpression? expression, [NotNullWhen(false)] out string? problem)
    {
        expression = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "a cron expression is required, e.g. \"0 0 2 * * *\" (seconds first) or \"0 2 * * *\"";
            return false;
        }

        var trimmed = text.Trim();
        var fields = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        // Cronos ignores the format of a macro.
        CronFormat? format = trimmed.StartsWith('@') ? CronFormat.Standard
            : fields == 5 ? CronFormat.Standard
            : fields == 6 ? CronFormat.IncludeSeconds
            : null;
        if (format is not { } f)
        {
            problem = $"'{trimmed}' has {fields} field(s); expected 5 (minute hour day month weekday) or 6 (seconds first), or a macro such as @daily";
            return false;
        }

        try
        {
            expression = CronExpression.Parse(trimmed, f);
            problem = null;
            return true;
        }
        catch (CronFormatException e)
        {
            problem = $"'{trimmed}' is not a valid cron expression: {e.Message}";
            return false;
        }
    }

    /// <summary>An IANA ("Europe/Berlin") or Windows ("W. Europe Standard Time") id (ICU converts); UTC for null or empty.</summary>
    public static bool TryFindZone(string? id, out TimeZoneInfo zone, [NotNullWhen(false)] out string? problem)
    {
        zone = TimeZoneInfo.Utc;
        problem = null;
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

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when there is none (e.g. 30 February).</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => _expression.GetNextOccurrence(after, TimeZone, inclusive: false);

    /// <summary>The next <paramref name="count"/> occurrences strictly after <paramref name="from"/>, in the schedule's zone.</summary>
    public IReadOnlyList<DateTimeOffset> Next(DateTimeOffset from, int count)
    {
        var list = new List<DateTimeOffset>(count);
        var at = from;
        while (list.Count < count && Next(at) is { } next)
        {
            list.Add(next);
            at = next;
        }
        return list;
    }

    /// <summary>Occurrences in (<paramref name="from"/>, <paramref name="to"/>], ascending, lazily.</summary>
    public IEnumerable<DateTimeOffset> Occurrences(DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? [] : _expression.GetOccurrences(from, to, TimeZone, fromInclusive: false, toInclusive: true);

    /// <summary>The latest occurrence in (<paramref name="from"/>, <paramref name="to"/>], or null.</summary>
    public DateTimeOffset? Latest(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from) return null;
        return _expression.GetPreviousOccurrence(to, TimeZone, inclusive: true) is { } t && t > from ? t : null;
    }

    public override string ToString() => TimeZone == TimeZoneInfo.Utc ? Text : $"{Text} ({TimeZone.Id})";
}
