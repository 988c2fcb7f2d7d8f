namespace ReviewBot.Contracts.Findings;

public enum Severity { Info, Warning, Error }

/// <summary>One linter finding. Paths are relative to the repository root, '/' separated.
/// Line and column are 1-based; 0 (or null) means unknown.</summary>
public sealed record Finding(
    string File,
    int Line,
    int? Column,
    int? EndLine,
    Severity Severity,
    string? Rule,
    string Message)
{
    /// <summary>The linter's suggested fix, in whole lines of <see cref="File"/> as the linter saw it (the task's
    /// head); null when it suggests none. Optional: agents that predate fixes send none.</summary>
    public FindingFix? Fix { get; init; }

    /// <summary>The text of line <see cref="Line"/> in the commit the linter ran on (without its line end, at most
    /// <see cref="MaxLineText"/> characters), sent with a baseline (<c>LinterSpec.Baseline</c>) so head and base findings
    /// compare by what the line says, not where it is. Null otherwise, or when the line is unknown.</summary>
    public string? LineText { get; init; }

    public const int MaxLineText = 500;
}

/// <summary>
/// A suggested fix as whole lines, the shape GitHub and GitLab suggestions take: lines
/// <see cref="StartLine"/>..<see cref="EndLine"/> (1-based, inclusive, <c>StartLine &lt;= EndLine</c>) of the finding's
/// file are replaced by <see cref="Text"/>, the new lines each ended by '\n' ("" deletes the lines). An insertion is
/// expressed as replacing a neighbouring line by itself plus the new lines.
/// </summary>
public sealed record FindingFix(int StartLine, int EndLine, string Text)
{
    /// <summary>The new lines, without their line ends.</summary>
    public IReadOnlyList<string> NewLines => Text.Length == 0 ? [] : Text.TrimEnd('\n').Split('\n');

    /// <summary>How many lines the fix replaces.</summary>
    public int LineCount => EndLine - StartLine + 1;
}
