namespace ReviewBot.Core.Labels;

/// <summary>A label filter that does not parse. <see cref="Position"/> points at the offending token.</summary>
public sealed class LabelFilterSyntaxException(string message, int position)
    : FormatException($"{message} (at position {position})")
{
    /// <summary>0-based index into the filter text where the error is.</summary>
    public int Position { get; } = position;

    /// <summary>What is wrong, without the position.</summary>
    public string Detail { get; } = message;
}
