using ReviewBot.Contracts.Findings;

namespace ReviewBot.Core.Review;

/// <summary>The words every report text uses for a finding, so GitHub, GitLab and the dry run say the same.</summary>
public static class FindingText
{
    public static string Location(Finding f) =>
        f.Line <= 0 ? f.File : f.EndLine is { } end && end > f.Line ? $"{f.File}:{f.Line}-{end}" : $"{f.File}:{f.Line}";

    public static string Name(Severity s) => s switch { Severity.Error => "error", Severity.Warning => "warning", _ => "notice" };

    public static string Plural(int n) => n == 1 ? "" : "s";

    /// <summary>A message made safe for one markdown table cell.</summary>
    public static string Cell(string text) => text.Replace("\r", "").Replace("\n", " ").Replace("|", "\\|");
}
