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
/// </list>
/// </summary>
internal static class RdjsonParser
{
    public static ParseResult Parse(string output, PathNormalizer paths)
    {
        var firstJsonLine = OutputText.NonBlankLines(output).FirstOrDefault(line => line.TrimStart().StartsWith('{'));
        using var probe = firstJsonLine is null ? null : JsonText.TryParseLine(firstJsonLine);
        return probe is null ? ParseDocument(output, paths) : ParseLines(output, paths);
    }

    private static ParseResult ParseDocument(string output, PathNormalizer paths)
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
        AddResult(document.RootElement, findings, paths);
        return new ParseResult(findings, parse.Extra);
    }

    private static ParseResult ParseLines(string output, PathNormalizer paths)
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
                AddResult(document.RootElement, findings, paths);
            }
            else if (document.RootElement.Property("message") is not null || document.RootElement.Property("location") is not null)
            {
                findings.Add(ToFinding(document.RootElement, null, paths));
            }
            else
            {
                unexpected.Add(line);
            }
        }

        return new ParseResult(findings, unexpected);
    }

    private static void AddResult(JsonElement result, List<Finding> findings, PathNormalizer paths)
    {
        var defaultSeverity = ToSeverity(result.Property("severity"));
        foreach (var diagnostic in result.Property("diagnostics").Items())
        {
            findings.Add(ToFinding(diagnostic, defaultSeverity, paths));
        }
    }

    private static Finding ToFinding(JsonElement diagnostic, Severity? defaultSeverity, PathNormalizer paths)
    {
        var location = diagnostic.Property("location");
        var range = location.Property("range");
        var code = diagnostic.Property("code").Property("value").String();
        return new Finding(
            paths.Normalize(location.Property("path").String() ?? ""),
            range.Property("start").Property("line").Int() ?? 0,
            range.Property("start").Property("column").Int() is { } column and > 0 ? column : null,
            range.Property("end").Property("line").Int(),
            ToSeverity(diagnostic.Property("severity")) ?? defaultSeverity ?? Severity.Warning,
            string.IsNullOrEmpty(code) ? null : code,
            (diagnostic.Property("message").String() ?? "").Trim());
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
