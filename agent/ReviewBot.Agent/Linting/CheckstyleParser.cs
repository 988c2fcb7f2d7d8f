using System.Xml;
using System.Xml.Linq;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Linting;

/// <summary>
/// Checkstyle XML (checkstyle itself, <c>eslint -f checkstyle</c>, golangci-lint, ktlint, …):
/// <c>&lt;checkstyle&gt;&lt;file name="…"&gt;&lt;error line column severity message source/&gt;&lt;/file&gt;&lt;/checkstyle&gt;</c>.
/// <list type="bullet">
/// <item>Rule = <c>source</c>. ESLint repeats the rule id at the end of the message ("… (no-undef)"); that copy is
/// removed when <c>source</c> ends with it.</item>
/// <item>Severity error/warning map as named; info, ignore and anything else become Info.</item>
/// <item>Lines before the XML declaration or root (e.g. a tool's warnings on the same stream) and text after the
/// closing root tag are unexpected. <c>&lt;exception&gt;</c> elements are reported as unexpected lines.</item>
/// <item>DTDs are refused (no external entities), and a document that does not parse is returned whole as
/// unexpected lines after one saying why.</item>
/// </list>
/// </summary>
internal static class CheckstyleParser
{
    private const string RootTag = "checkstyle";

    public static ParseResult Parse(string output, PathNormalizer paths)
    {
        var unexpected = new List<string>();
        var lines = OutputText.Lines(output);
        var start = Array.FindIndex(lines, line => line.TrimStart().StartsWith('<'));
        if (start < 0)
        {
            return OutputText.Malformed("checkstyle: no XML document found", output);
        }

        unexpected.AddRange(lines[..start].Select(OutputText.Clean).Where(line => line.Length > 0));
        var xml = string.Join('\n', lines[start..]).TrimStart();
        var end = xml.LastIndexOf($"</{RootTag}>", StringComparison.Ordinal);
        if (end >= 0)
        {
            var afterRoot = end + RootTag.Length + 3;
            var trailing = xml[afterRoot..];
            xml = xml[..afterRoot];
            unexpected.AddRange(OutputText.NonBlankLines(trailing));
        }

        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
            });
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            return OutputText.Malformed($"checkstyle: invalid XML: {ex.Message}", output);
        }

        var root = document.Root!;
        if (root.Name.LocalName != RootTag)
        {
            return OutputText.Malformed($"checkstyle: root element is <{root.Name.LocalName}>, expected <{RootTag}>", output);
        }

        var findings = new List<Finding>();
        foreach (var file in root.Elements().Where(e => e.Name.LocalName == "file"))
        {
            var name = (string?)file.Attribute("name") ?? "";
            foreach (var child in file.Elements())
            {
                switch (child.Name.LocalName)
                {
                    case "error":
                        findings.Add(ToFinding(paths.Normalize(name), child));
                        break;
                    case "exception":
                        unexpected.Add($"checkstyle: exception for {name}: {FirstLine(child.Value)}");
                        break;
                }
            }
        }

        return new ParseResult(findings, unexpected);
    }

    private static Finding ToFinding(string file, XElement error)
    {
        var source = ((string?)error.Attribute("source"))?.Trim();
        var rule = string.IsNullOrEmpty(source) ? null : source;
        var message = ((string?)error.Attribute("message") ?? "").Trim();
        if (rule is not null)
        {
            message = StripRepeatedRule(message, rule);
        }

        return new Finding(
            file,
            ParseInt(error.Attribute("line")) ?? 0,
            ParseInt(error.Attribute("column")) is { } column and > 0 ? column : null,
            null,
            ((string?)error.Attribute("severity"))?.Trim().ToLowerInvariant() switch
            {
                "error" => Severity.Error,
                "warning" => Severity.Warning,
                _ => Severity.Info,
            },
            rule,
            message);
    }

    /// <summary>"'x' is not defined. (no-undef)" with source "eslint.rules.no-undef" → "'x' is not defined."</summary>
    private static string StripRepeatedRule(string message, string rule)
    {
        if (!message.EndsWith(')'))
        {
            return message;
        }

        var open = message.LastIndexOf(" (", StringComparison.Ordinal);
        if (open < 0)
        {
            return message;
        }

        var inner = message[(open + 2)..^1];
        return inner.Length > 0 && (rule == inner || rule.EndsWith("." + inner, StringComparison.Ordinal))
            ? message[..open].TrimEnd()
            : message;
    }

    private static int? ParseInt(XAttribute? attribute) =>
        int.TryParse(attribute?.Value.Trim(), out var value) ? value : null;

    private static string FirstLine(string text) =>
        OutputText.NonBlankLines(text).FirstOrDefault()?.Trim() ?? "";
}
