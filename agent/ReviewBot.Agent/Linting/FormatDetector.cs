namespace ReviewBot.Agent.Linting;

/// <summary>
/// Picks a format for "auto" from the content:
/// <list type="number">
/// <item>First non-blank line starts with <c>&lt;</c>, or some line starts with <c>&lt;?xml</c> or
/// <c>&lt;checkstyle</c> → checkstyle.</item>
/// <item>First non-blank line starts with <c>{</c> or <c>[</c> → JSON: top-level <c>runs</c> or <c>$schema</c>
/// → sarif; <c>diagnostics</c>, <c>message</c> or <c>location</c> → rdjson (rdjson or rdjsonl);
/// any other JSON → sarif, whose parser then says why it is not a SARIF log.</item>
/// <item>Some line is an MSBuild diagnostic (<c>path(12,5): warning CS0168: …</c> or
/// <c>CSC : error CS1617: …</c>) → msbuild.</item>
/// <item>A line starting <c>+++ </c> after one starting <c>--- </c>, and a hunk header <c>@@ -</c> → diff.</item>
/// <item>Otherwise gcc, which also keeps every line it cannot read as unexpected.</item>
/// </list>
/// </summary>
internal static class FormatDetector
{
    public static string Detect(string output)
    {
        var lines = OutputText.NonBlankLines(output).Select(line => line.TrimStart()).ToList();
        if (lines.Count == 0)
        {
            return "gcc";
        }

        var first = lines[0];
        if (first.StartsWith('<') || lines.Any(line => line.StartsWith("<?xml", StringComparison.Ordinal) || line.StartsWith("<checkstyle", StringComparison.Ordinal)))
        {
            return "checkstyle";
        }

        if (first[0] is '{' or '[')
        {
            return DetectJson(output[output.IndexOf(first[0], StringComparison.Ordinal)..]);
        }

        if (lines.Any(MsBuildParser.LooksLikeMsBuildDiagnostic))
        {
            return "msbuild";
        }

        var oldHeader = lines.FindIndex(line => line.StartsWith("--- ", StringComparison.Ordinal));
        return oldHeader >= 0 && oldHeader + 1 < lines.Count && lines[oldHeader + 1].StartsWith("+++ ", StringComparison.Ordinal)
            && lines.Any(line => line.StartsWith("@@ -", StringComparison.Ordinal)) ? "diff" : "gcc";
    }

    private static string DetectJson(string json)
    {
        var names = JsonText.TopLevelPropertyNames(json);
        if (names.Contains("runs") || names.Contains("$schema"))
        {
            return "sarif";
        }

        if (names.Contains("diagnostics") || names.Contains("message") || names.Contains("location"))
        {
            return "rdjson";
        }

        return "sarif";
    }
}
