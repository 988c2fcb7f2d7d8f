using System.Text;

namespace ReviewBot.Core.Review;

/// <summary>
/// Markdown built line by line under a hard size limit (GitHub refuses a check-run summary or text over 65,535
/// characters with a 422): once the next line would not fit, the rest is dropped and a closing line says how many
/// were left out. The limit is never exceeded, whatever the input.
/// </summary>
public sealed class BoundedText(int limit)
{
    public const int GitHubLimit = 65_535;

    /// <summary>Room kept for the overflow line.</summary>
    private const int Reserve = 200;

    private readonly StringBuilder _text = new();
    private int _dropped;

    public bool Full => _dropped > 0;

    /// <summary>Appends <paramref name="line"/> and a newline when it fits; otherwise counts it as dropped.</summary>
    public BoundedText Line(string line = "")
    {
        if (_dropped == 0 && _text.Length + line.Length + 1 <= limit - Reserve) _text.Append(line).Append('\n');
        else _dropped++;
        return this;
    }

    /// <summary>The text, with <paramref name="overflow"/>(number of dropped lines) appended when any were dropped.</summary>
    public string ToString(Func<int, string> overflow)
    {
        if (_dropped == 0) return _text.ToString();
        var note = overflow(_dropped);
        if (note.Length > Reserve) note = note[..Reserve];
        return _text.ToString() + note;
    }

    public override string ToString() => ToString(n => $"… {n} more line(s) not shown: the text is limited to {limit:N0} characters.");
}
