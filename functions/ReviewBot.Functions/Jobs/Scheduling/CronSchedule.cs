using Cronos;

namespace ReviewBot.Functions.Jobs.Scheduling;

/// <summary>
/// A cron trigger's schedule: a Cronos expression (five fields, or six with seconds first, or a macro such as
/// <c>@daily</c>) in a time zone (IANA or Windows id; UTC when none). Pure: no clock, no I/O.
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

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Parses, or throws <see cref="FormatException"/> with a message for people.</summary>
    public static CronSchedule Parse(string expression, string? timeZone = null) =>
        TryParse(expression, timeZone, out var schedule, out var error) ? schedule : throw new FormatException(error);

    public static bool TryParse(string? expression, string? timeZone, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CronSchedule? schedule, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        schedule = null;
        if (string.IsNullOrWhiteSpace(expression))
        {
            error = "the cron expression is empty";
            return false;
        }
        var text = expression.Trim();
        // Macros are whole words; otherwise six fields mean seconds come first.
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (!text.StartsWith('@') && fields is not (5 or 6))
        {
            error = $"'{text}' has {fields} fields; a cron expression has 5 (minute hour day month weekday) or 6 (second first)";
            return false;
        }
        var format = !text.StartsWith('@') && fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        if (!CronExpression.TryParse(text, format, out var parsed))
        {
            error = $"'{text}' is not a valid cron expression";
            return false;
        }
        if (!TryFindZone(timeZone, out var zone, out error)) return false;
        schedule = new CronSchedule(text, parsed, zone);
        return true;
    }

    /// <summary>IANA ids ("Europe/Berlin") and Windows ids ("W. Europe Standard Time") both work (ICU converts).</summary>
    public static bool TryFindZone(string? id, out TimeZoneInfo zone, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        error = null;
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id)) return true;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            error = $"time zone '{id}' is not known (use an IANA id such as Europe/Berlin, or a Windows id)";
            return false;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when there is none (e.g. 30 February).</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => _expression.GetNextOccurrence(after, TimeZone, inclusive: false);

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
