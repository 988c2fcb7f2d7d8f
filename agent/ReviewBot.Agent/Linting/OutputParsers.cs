using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Linting;

/// <summary>Findings plus the lines no parser understood (kept, never dropped silently).</summary>
public sealed record ParseResult(IReadOnlyList<Finding> Findings, IReadOnlyList<string> Unexpected);

/// <summary>Entry point of the output parsers. STUB: implementation being written.</summary>
public static class OutputParsers
{
    /// <summary>Known format names: auto, gcc, msbuild, checkstyle, sarif, rdjson.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["auto", "gcc", "msbuild", "checkstyle", "sarif", "rdjson"];

    /// <param name="repoRoot">When set, absolute paths under it are made relative ('/' separated).</param>
    public static ParseResult Parse(string format, string output, string? repoRoot = null) => throw new NotImplementedException();
}
