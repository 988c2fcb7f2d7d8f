using System.Diagnostics;
using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Linting;

/// <summary>Findings plus the lines no parser understood (kept, never dropped silently).</summary>
public sealed record ParseResult(IReadOnlyList<Finding> Findings, IReadOnlyList<string> Unexpected);

/// <summary>
/// Entry point of the output parsers: turns a linter's raw output into <see cref="Finding"/>s.
/// Parsing never throws on bad input; what cannot be understood ends up in <see cref="ParseResult.Unexpected"/>.
/// The format rules and the choices behind them are written down in README.md beside this file.
/// </summary>
public static class OutputParsers
{
    /// <param name="format">One of <see cref="OutputFormats.All"/>; "auto" detects the format from the content.</param>
    /// <param name="output">The linter's output (stdout, a report file, …).</param>
    /// <param name="repoRoot">When set, absolute paths under it are made relative ('/' separated).</param>
    /// <exception cref="ArgumentException"><paramref name="format"/> is not a known format (a caller bug, not bad input).</exception>
    public static ParseResult Parse(string format, string output, string? repoRoot = null) => Parse(format, output, repoRoot, repoRoot);

    /// <inheritdoc cref="Parse(string, string, string?)"/>
    /// <param name="sourceRoot">Where the files findings name are read from, to turn fixes given as character ranges
    /// into whole lines (the files the linter ran on); without it such fixes are dropped.</param>
    public static ParseResult Parse(string format, string output, string? repoRoot, string? sourceRoot)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(output);
        if (!OutputFormats.IsKnown(format))
        {
            throw new ArgumentException($"Unknown output format '{format}'. Known formats: {string.Join(", ", OutputFormats.All)}.", nameof(format));
        }

        output = output.TrimStart('\uFEFF'); // a byte order mark left in by whoever read the file
        var resolved = format.Trim().ToLowerInvariant();
        if (resolved == "auto")
        {
            resolved = FormatDetector.Detect(output);
        }

        var sources = new SourceFiles(sourceRoot);
        Func<string, PathNormalizer, ParseResult> parser = resolved switch
        {
            "gcc" => GccParser.Parse,
            "msbuild" => MsBuildParser.Parse,
            "checkstyle" => CheckstyleParser.Parse,
            "sarif" => (text, paths) => SarifParser.Parse(text, paths, sources),
            "rdjson" => (text, paths) => RdjsonParser.Parse(text, paths, sources),
            OutputFormats.Diff => DiffParser.Parse,
            _ => throw new UnreachableException($"No parser for format '{resolved}'."),
        };

        ParseResult result;
        try
        {
            result = parser(output, new PathNormalizer(repoRoot));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Safety net for the "never throw on bad input" promise: a parser bug must not lose the linter's
            // output, so everything is handed back as unexpected, headed by what went wrong.
            result = OutputText.Malformed($"{resolved}: parser failed ({ex.GetType().Name}: {ex.Message})", output);
        }

        return new ParseResult(Deduplicate(result.Findings), result.Unexpected);
    }

    /// <summary>Drops exact duplicates (every field equal), keeping the first occurrence and the order.
    /// dotnet build prints each diagnostic twice (during the build and in the summary), and linters run
    /// per package can report the same line more than once.</summary>
    private static IReadOnlyList<Finding> Deduplicate(IReadOnlyList<Finding> findings)
    {
        var seen = new HashSet<Finding>();
        var unique = new List<Finding>(findings.Count);
        foreach (var finding in findings)
        {
            if (seen.Add(finding))
            {
                unique.Add(finding);
            }
        }

        return unique;
    }
}
