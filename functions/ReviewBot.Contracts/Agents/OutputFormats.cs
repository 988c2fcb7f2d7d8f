namespace ReviewBot.Contracts.Agents;

/// <summary>
/// The output formats a linter's <see cref="LinterSpec.Format"/> may name, which every agent parses: the server accepts
/// no other in the configuration file, and an agent refuses a task naming one it does not know. Names are matched
/// case-insensitively, surrounding whitespace aside.
/// </summary>
public static class OutputFormats
{
    /// <summary>"auto" detects the format from the content.</summary>
    public const string Auto = "auto";

    public static IReadOnlyList<string> All { get; } = [Auto, "gcc", "msbuild", "checkstyle", "sarif", "rdjson", Diff];

    /// <summary>"diff": a formatter's unified diff (<c>gofmt -d</c>, <c>shfmt -d</c>, <c>black --diff</c>); each run of
    /// changed lines is a finding whose fix is the formatted text.</summary>
    public const string Diff = "diff";

    /// <summary>True when <paramref name="format"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string? format) => Canonical(format) is not null;

    /// <summary>The name as <see cref="All"/> writes it, or null when <paramref name="format"/> is none of them.</summary>
    public static string? Canonical(string? format) =>
        format is null ? null : All.FirstOrDefault(f => string.Equals(f, format.Trim(), StringComparison.OrdinalIgnoreCase));
}
