using System.Text.Json;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Linting;

/// <summary>
/// reviewdog's diagnostic format, both wire forms: rdjson (one <c>DiagnosticResult</c>
/// <c>{"diagnostics":[…]}</c>, usually pretty-printed) and rdjsonl (one <c>Diagnostic</c> per line).
/// <list type="bullet">
/// <item>rdjsonl is chosen when the first JSON line parses on its own; each line is then a Diagnostic (or a
/// one-line DiagnosticResult) and a line that is not JSON is unexpected. Otherwise the text is one document.</item>
/// <item>Severity is a name ("ERROR", "WARNING", "INFO") or the proto enum number (1, 2, 3); a diagnostic without
/// one takes the result's severity, and without that it is Warning.</item>
/// <item>Rule = <c>code.value</c>. Location: <c>location.path</c>, <c>range.start.line/column</c>,
/// <c>range.end.line</c>; no range means a file-level finding (line 0).</item>
/// <item><c>suggestions[]</c> (<c>range</c> + <c>text</c>) become the finding's fix, all applied together
/// (<see cref="FixBuilder"/>), read against the file's text. reviewdog's units: columns are 1-based UTF-8 byte
/// counts, the end is exclusive, a missing end is the start (an insertion); a range whose start and end columns are
/// both missing or 0 covers its lines whole.</item>
/// </list>
/// </summary>
internal static class RdjsonParser
{
    public static ParseResult Parse(string output, PathNormalizer paths) => Parse(output, paths, SourceFiles.None);

    public static ParseResult Parse(string output, PathNormalizer paths, SourceFiles sources)
    {
        var firstJsonLine = OutputText.NonBlankLines(output).FirstOrDefault(line => line.TrimStart().StartsWith('{'));
        using var probe = firstJsonLine is null ? null : JsonText.TryParseLine(firstJsonLine);
        return probe is null ? ParseDocument(output, paths, sources) : ParseLines(output, paths, sources);
    }

    private static ParseResult ParseDocument(string output, PathNormalizer paths, SourceFiles sources)
    {
        var parse = JsonText.ParseFirstValue(output);
        if (parse.Document is null)
        {
            return OutputText.Malformed($"rdjson: {parse.Error}", output);
        }

        using var document = parse.Document;
        if (document.RootElement.Property("diagnostics") is not { ValueKind: JsonValueKind.Array })
        {
            return OutputText.Malformed("rdjson: not a reviewdog DiagnosticResult (no diagnostics array)", output);
        }

        var findings = new List<Finding>();
        AddResult(document.RootElement, findings, paths, sources);
        return new ParseResult(findings, parse.Extra);
    }

    private static ParseResult ParseLines(string output, PathNormalizer paths, SourceFiles sources)
    {
        var findings = new List<Finding>();
        var unexpected = new List<string>();
        foreach (var line in OutputText.NonBlankLines(output))
        {
            using var document = line.TrimStart().StartsWith('{') ? JsonText.TryParseLine(line) : null;
            if (document is null)
            {
                unexpected.Add(line);
            }
            else if (document.RootElement.Property("diagnostics") is { ValueKind: JsonValueKind.Array })
            {
                AddResult(document.RootElement, findings, paths, sources);
            }
            else if (document.RootElement.Property("message") is not null || document.RootElement.Property("location") is not null)
            {
                findings.Add(ToFinding(document.RootElement, null, paths, sources));
            }
            else
            {
                unexpected.Add(line);
            }
        }

        return new ParseResult(findings, unexpected);
    }

    private static void AddResult(JsonElement result, List<Finding> findings, PathNormalizer paths, SourceFiles sources)
    {
        var defaultSeverity = ToSeverity(result.Property("severity"));
        foreach (var diagnostic in result.Property("diagnostics").Items())
        {
            findings.Add(ToFinding(diagnostic, defaultSeverity, paths, sources));
        }
    }

    private static Finding ToFinding(JsonElement diagnostic, Severity? defaultSeverity, PathNormalizer paths, SourceFiles sources)
    {
        var location = diagnostic.Property("location");
        var range = location.Property("range");
        var code = diagnostic.Property("code").Property("value").String();
        var file = paths.Normalize(location.Property("path").String() ?? "");
        return new Finding(
            file,
            range.Property("start").Property("line").Int() ?? 0,
            range.Property("start").Property("column").Int() is { } column and > 0 ? column : null,
            range.Property("end").Property("line").Int(),
            ToSeverity(diagnostic.Property("severity")) ?? defaultSeverity ?? Severity.Warning,
            string.IsNullOrEmpty(code) ? null : code,
            (diagnostic.Property("message").String() ?? "").Trim())
        {
            Fix = Fix(diagnostic.Property("suggestions"), sources.Lines(file)),
        };
    }

    private static FindingFix? Fix(JsonElement? suggestions, string[]? lines)
    {
        if (lines is null)
        {
            return null;
        }

        var edits = new List<TextEdit>();
        foreach (var suggestion in suggestions.Items())
        {
            var range = suggestion.Property("range");
            var text = suggestion.Property("text").String() ?? "";
            var start = range.Property("start");
            var end = range.Property("end") ?? start;
            if (start.Property("line").Int() is not { } startLine)
            {
                return null;
            }

            var endLine = end.Property("line").Int() ?? startLine;
            var startColumn = start.Property("column").Int() ?? 0;
            var endColumn = end.Property("column").Int() ?? 0;
            edits.Add(startColumn <= 0 && endColumn <= 0
                ? new TextEdit(startLine, 1, endLine + 1, 1, text.Length == 0 || text.EndsWith('\n') ? text : text + "\n")
                : new TextEdit(startLine, FixBuilder.FromByteColumn(lines, startLine, startColumn), endLine,
                    endColumn <= 0 ? null : FixBuilder.FromByteColumn(lines, endLine, endColumn), text));
        }

        return FixBuilder.Build(lines, edits);
    }

    /// <summary>reviewdog.proto: UNKNOWN_SEVERITY = 0, ERROR = 1, WARNING = 2, INFO = 3.</summary>
    private static Severity? ToSeverity(JsonElement? severity) =>
        severity switch
        {
            { ValueKind: JsonValueKind.String } name => name.GetString()?.ToUpperInvariant() switch
            {
                "ERROR" => Severity.Error,
                "WARNING" => Severity.Warning,
                "INFO" => Severity.Info,
                _ => null,
            },
            { ValueKind: JsonValueKind.Number } number => number.TryGetInt32(out var n) ? n switch
            {
                1 => Severity.Error,
                2 => Severity.Warning,
                3 => Severity.Info,
                _ => null,
            } : null,
            _ => null,
        };
}
