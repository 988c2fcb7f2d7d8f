using System.Globalization;

namespace ReviewBot.Agent.Commands;

/// <summary>Durations as people write them: <c>90s</c>, <c>10m</c>, <c>1h</c>, <c>2d</c>, or a TimeSpan (<c>00:10:00</c>).</summary>
internal static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        var unit = text[^1];
        if (char.IsAsciiLetter(unit)
            && double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            && amount >= 0)
        {
            TimeSpan? parsed = char.ToLowerInvariant(unit) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (parsed is { } p)
            {
                value = p;
                return true;
            }

            return false;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }
}
