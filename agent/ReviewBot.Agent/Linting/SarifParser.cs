using System.Text.Json;
using System.Text.RegularExpressions;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Linting;

/// <summary>
/// SARIF 2.1.0 logs (Roslyn's <c>-p:ErrorLog=…%2Cversion=2.1</c>, ESLint's SARIF formatter, CodeQL, …): one finding
/// per <c>runs[].results[]</c>.
/// <list type="bullet">
/// <item>Rule: <c>ruleId</c>, else <c>rule.id</c>, else the id of the rule that <c>ruleIndex</c> points at.</item>
/// <item>Severity: <c>level</c>, else the rule's <c>defaultConfiguration.level</c>, else warning (SARIF's default);
/// error → Error, warning → Warning, note/none → Info.</item>
/// <item>Results with <c>kind</c> pass or notApplicable are not problems and are skipped; so are results
/// suppressed in source or by the tool (a suppression whose status is absent or "accepted"), as Roslyn writes
/// for <c>#pragma warning disable</c>.</item>
/// <item>Message: <c>message.text</c>, else <c>message.markdown</c>, else <c>message.id</c> looked up in the rule's
/// <c>messageStrings</c> or the driver's <c>globalMessageStrings</c> with <c>{0}</c>… filled from
/// <c>message.arguments</c>.</item>
/// <item>Location: the first <c>locations[].physicalLocation</c>; its <c>artifactLocation</c> may give the uri
/// directly or through <c>index</c> into <c>run.artifacts</c>; a relative uri is resolved through
/// <c>uriBaseId</c>/<c>originalUriBaseIds</c> (recursively). A base with no uri leaves the uri relative. Region
/// gives startLine, startColumn and endLine. A result without a location is a file-level finding with file "".</item>
/// <item>Fix: the first of <c>fixes[]</c>, its <c>artifactChanges[]</c> for the finding's file, every
/// <c>replacements[]</c> (<c>deletedRegion</c> by line and column, SARIF's defaults: start column 1, end line the
/// start line, end column the end of the end line; <c>insertedContent.text</c>) applied together against the file's
/// text (<see cref="FixBuilder"/>). Regions given only as <c>charOffset</c>/<c>byteOffset</c>, and changes to other
/// files, are not used.</item>
/// </list>
/// </summary>
internal static partial class SarifParser
{
    private const int MaxBaseDepth = 8;

    public static ParseResult Parse(string output, PathNormalizer paths) => Parse(output, paths, SourceFiles.None);

    public static ParseResult Parse(string output, PathNormalizer paths, SourceFiles sources)
    {
        var parse = JsonText.ParseFirstValue(output);
        if (parse.Document is null)
        {
            return OutputText.Malformed($"sarif: {parse.Error}", output);
        }

        using var document = parse.Document;
        var runs = document.RootElement.Property("runs");
        if (runs is not { ValueKind: JsonValueKind.Array })
        {
            return OutputText.Malformed("sarif: not a SARIF log (no runs array)", output);
        }

        var findings = new List<Finding>();
        var unexpected = new List<string>(parse.Extra);
        foreach (var run in runs.Items())
        {
            var context = new RunContext(run);
            foreach (var result in run.Property("results").Items())
            {
                if (ToFinding(result, context, paths, sources) is { } finding)
                {
                    findings.Add(finding);
                }
            }
        }

        return new ParseResult(findings, unexpected);
    }

    private static Finding? ToFinding(JsonElement result, RunContext run, PathNormalizer paths, SourceFiles sources)
    {
        var kind = result.Property("kind").String() ?? "fail";
        if (kind is "pass" or "notApplicable" || IsSuppressed(result))
        {
            return null;
        }

        var rule = run.FindRule(result);
        var ruleId = result.Property("ruleId").String()
            ?? result.Property("rule").Property("id").String()
            ?? rule.Property("id").String();
        var level = result.Property("level").String()
            ?? rule.Property("defaultConfiguration").Property("level").String()
            ?? (kind == "fail" ? "warning" : "none");

        var physical = result.Property("locations").Items().Select(l => l.Property("physicalLocation")).FirstOrDefault(p => p is not null);
        var region = physical.Property("region");
        var file = physical is null ? "" : run.ResolvePath(physical.Property("artifactLocation"), paths);
        return new Finding(
            file,
            region.Property("startLine").Int() ?? 0,
            region.Property("startColumn").Int() is { } column and > 0 ? column : null,
            region.Property("endLine").Int(),
            level switch
            {
                "error" => Severity.Error,
                "warning" => Severity.Warning,
                _ => Severity.Info,
            },
            ruleId,
            MessageText(result.Property("message"), rule, run).Trim())
        {
            Fix = Fix(result, file, run, paths, sources),
        };
    }

    private static FindingFix? Fix(JsonElement result, string file, RunContext run, PathNormalizer paths, SourceFiles sources)
    {
        var fix = result.Property("fixes").Items().Cast<JsonElement?>().FirstOrDefault();
        var change = fix.Property("artifactChanges").Items()
            .Cast<JsonElement?>()
            .FirstOrDefault(c => run.ResolvePath(c.Property("artifactLocation"), paths) == file);
        if (change is null || sources.Lines(file) is not { } lines)
        {
            return null;
        }

        var edits = new List<TextEdit>();
        foreach (var replacement in change.Property("replacements").Items())
        {
            var region = replacement.Property("deletedRegion");
            if (region.Property("startLine").Int() is not { } startLine)
            {
                return null;
            }

            var endLine = region.Property("endLine").Int() ?? startLine;
            edits.Add(new TextEdit(startLine, region.Property("startColumn").Int() ?? 1, endLine, region.Property("endColumn").Int(),
                replacement.Property("insertedContent").Property("text").String() ?? ""));
        }

        return FixBuilder.Build(lines, edits);
    }

    private static bool IsSuppressed(JsonElement result) =>
        result.Property("suppressions").Items().Any(s => s.Property("status").String() is null or "accepted");

    private static string MessageText(JsonElement? message, JsonElement? rule, RunContext run)
    {
        if (message.Property("text").String() is { } text)
        {
            return text;
        }

        if (message.Property("markdown").String() is { } markdown)
        {
            return markdown;
        }

        var id = message.Property("id").String();
        if (id is null)
        {
            return "";
        }

        var template = rule.Property("messageStrings").Property(id).Property("text").String()
            ?? run.GlobalMessageString(id)
            ?? id;
        var arguments = message.Property("arguments").Items().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString()! : a.GetRawText()).ToArray();
        return Placeholder().Replace(template, m =>
            int.TryParse(m.Groups["n"].ValueSpan, out var n) && n < arguments.Length ? arguments[n] : m.Value);
    }

    [GeneratedRegex(@"\{(?<n>\d+)\}")]
    private static partial Regex Placeholder();

    /// <summary>Per-run lookups: rules, artifacts, uri bases, message strings.</summary>
    private sealed class RunContext(JsonElement run)
    {
        private readonly JsonElement? _driver = run.Property("tool").Property("driver");
        private readonly JsonElement[] _rules = run.Property("tool").Property("driver").Property("rules").Items().ToArray();
        private readonly JsonElement[] _artifacts = run.Property("artifacts").Items().ToArray();
        private readonly JsonElement? _bases = run.Property("originalUriBaseIds");

        public JsonElement? FindRule(JsonElement result)
        {
            var index = result.Property("ruleIndex").Int() ?? result.Property("rule").Property("index").Int();
            if (index is >= 0 && index < _rules.Length)
            {
                return _rules[index.Value];
            }

            var id = result.Property("ruleId").String() ?? result.Property("rule").Property("id").String();
            return id is null ? null : _rules.Cast<JsonElement?>().FirstOrDefault(r => r.Property("id").String() == id);
        }

        public string? GlobalMessageString(string id) =>
            _driver.Property("globalMessageStrings").Property(id).Property("text").String();

        public string ResolvePath(JsonElement? artifactLocation, PathNormalizer paths)
        {
            var uri = artifactLocation.Property("uri").String();
            var baseId = artifactLocation.Property("uriBaseId").String();
            if (uri is null && artifactLocation.Property("index").Int() is { } index and >= 0 && index < _artifacts.Length)
            {
                var location = _artifacts[index].Property("location");
                uri = location.Property("uri").String();
                baseId = location.Property("uriBaseId").String();
            }

            if (uri is null)
            {
                return "";
            }

            var resolved = Resolve(uri, baseId, 0);
            return paths.Normalize(IsFileUri(resolved) ? resolved : Unescape(resolved));
        }

        private string Resolve(string uri, string? baseId, int depth)
        {
            if (HasScheme(uri) || baseId is null || depth >= MaxBaseDepth)
            {
                return uri;
            }

            var baseLocation = _bases.Property(baseId);
            var baseUri = baseLocation.Property("uri").String();
            if (baseUri is null)
            {
                return uri;
            }

            var resolvedBase = Resolve(baseUri, baseLocation.Property("uriBaseId").String(), depth + 1);
            return resolvedBase.Length == 0 ? uri : resolvedBase.TrimEnd('/') + "/" + uri.TrimStart('/');
        }

        private static bool HasScheme(string uri) => UriScheme().IsMatch(uri);

        private static bool IsFileUri(string uri) => uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase);

        private static string Unescape(string uri)
        {
            try
            {
                return Uri.UnescapeDataString(uri);
            }
            catch (UriFormatException)
            {
                return uri;
            }
        }
    }

    // A scheme is at least two letters, so "C:/x" is a Windows path, not a URI.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]+:")]
    private static partial Regex UriScheme();
}
