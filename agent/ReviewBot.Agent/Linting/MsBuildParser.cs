using System.Text.RegularExpressions;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Linting;

/// <summary>
/// MSBuild's canonical diagnostic lines as dotnet build / msbuild print them (console logger, <c>-tl:off</c>):
/// <c>path(line,col): warning CS0168: message [project.csproj]</c>. The position may be <c>(l)</c>, <c>(l,c)</c>,
/// <c>(l-el)</c>, <c>(l,c-ec)</c> or <c>(l,c,el,ec)</c> (Roslyn with <c>-p:ErrorEndLocation=true</c>).
/// <list type="bullet">
/// <item>The trailing <c>[project]</c> is dropped from the message.</item>
/// <item>Lines without a position (<c>CSC : error CS1617: …</c>, <c>MSBUILD : error MSB1009: …</c>,
/// <c>/x/y.csproj : warning NU1603: …</c>) are file-level findings with line 0: the file is the origin when it is a
/// path, otherwise the project named in brackets, otherwise empty. They are real diagnostics that usually explain
/// why a build failed, so they are reported, not hidden among the unexpected lines.</item>
/// <item>The summary repeats every diagnostic; <see cref="OutputParsers.Parse(string, string, string?)"/> drops the exact duplicates.</item>
/// <item>MSBuild's progress and summary chatter ("Build succeeded.", "6 Warning(s)", "Demo -> …/Demo.dll",
/// restore lines) is understood and skipped; any other line is unexpected.</item>
/// </list>
/// </summary>
internal static partial class MsBuildParser
{
    public static ParseResult Parse(string output, PathNormalizer paths)
    {
        var findings = new List<Finding>();
        var unexpected = new List<string>();
        foreach (var raw in OutputText.Lines(output))
        {
            var line = OutputText.Clean(raw);
            if (line.Length == 0 || IsChatter(line))
            {
                continue;
            }

            var finding = TryParsePositioned(line, paths) ?? TryParseFileLevel(line, paths);
            if (finding is not null)
            {
                findings.Add(finding);
            }
            else
            {
                unexpected.Add(line);
            }
        }

        return new ParseResult(findings, unexpected);
    }

    /// <summary>True when the line is unmistakably MSBuild's: a positioned diagnostic, or a file-level one in MSBuild's
    /// <c>ORIGIN : error CODE:</c> shape (spaces around the colon and a code). Used by <see cref="FormatDetector"/>.</summary>
    public static bool LooksLikeMsBuildDiagnostic(string line)
    {
        if (Positioned().IsMatch(line))
        {
            return true;
        }

        var match = FileLevel().Match(line);
        return match.Success && match.Groups["code"].Success && line.Contains(" : ", StringComparison.Ordinal);
    }

    private static Finding? TryParsePositioned(string line, PathNormalizer paths)
    {
        var match = Positioned().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var numbers = PositionNumbers().Matches(match.Groups["pos"].Value);
        var separators = match.Groups["pos"].Value.Where(c => c is ',' or '-').ToArray();
        var values = new int[numbers.Count];
        for (var i = 0; i < numbers.Count; i++)
        {
            if (!int.TryParse(numbers[i].ValueSpan, out values[i]))
            {
                return null;
            }
        }

        // (l) | (l-el) | (l,c) | (l,c-ec) | (l,c,el,ec)
        var lineNumber = values[0];
        int? column = null;
        int? endLine = null;
        if (values.Length >= 2 && separators[0] == '-')
        {
            endLine = values[1];
        }
        else if (values.Length >= 2)
        {
            column = values[1] == 0 ? null : values[1];
            if (values.Length == 4)
            {
                endLine = values[2];
            }
        }

        var (message, _) = SplitProject(match.Groups["msg"].Value);
        return new Finding(
            paths.Normalize(match.Groups["file"].Value),
            lineNumber,
            column,
            endLine,
            ToSeverity(match.Groups["cat"].Value),
            NullIfEmpty(match.Groups["code"].Value),
            message);
    }

    private static Finding? TryParseFileLevel(string line, PathNormalizer paths)
    {
        var match = FileLevel().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var origin = match.Groups["origin"].Value;
        var (message, project) = SplitProject(match.Groups["msg"].Value);
        var file = origin.IndexOfAny(['/', '\\', '.']) >= 0 ? origin : project ?? "";
        return new Finding(
            file.Length == 0 ? "" : paths.Normalize(file),
            0,
            null,
            null,
            ToSeverity(match.Groups["cat"].Value),
            NullIfEmpty(match.Groups["code"].Value),
            message);
    }

    /// <summary>Splits "message [/x/Demo.csproj::TargetFramework=net8.0]" into the message and the project path.</summary>
    private static (string Message, string? Project) SplitProject(string text)
    {
        var match = ProjectSuffix().Match(text);
        return match.Success
            ? (text[..match.Index].TrimEnd(), match.Groups["project"].Value)
            : (text.Trim(), null);
    }

    private static Severity ToSeverity(string category) =>
        category.ToLowerInvariant() switch
        {
            "error" => Severity.Error,
            "warning" => Severity.Warning,
            _ => Severity.Info,
        };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static bool IsChatter(string line) => Chatter().IsMatch(line);

    // origin(position): [subcategory] category [code]: message — MSBuild's canonical error format.
    [GeneratedRegex(@"^\s*(?<file>\S.*?)\((?<pos>\d+(?:[,-]\d+){0,3})\)\s*:\s*(?:(?<sub>[^:]*?)\s+)?(?<cat>error|warning|info)(?:\s+(?<code>[A-Za-z][\w.-]*))?\s*:\s*(?<msg>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex Positioned();

    [GeneratedRegex(@"\d+")]
    private static partial Regex PositionNumbers();

    // origin: [subcategory] category [code]: message, where origin is a tool name (CSC, MSBUILD) or a path.
    [GeneratedRegex(@"^\s*(?<origin>(?:[A-Za-z]:)?[^:()\s][^:()]*?)\s*:\s*(?:(?<sub>[^:]*?)\s+)?(?<cat>error|warning)(?:\s+(?<code>[A-Za-z][\w.-]*))?\s*:\s*(?<msg>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex FileLevel();

    [GeneratedRegex(@"\s+\[(?<project>[^\[\]]+?\.(?:[A-Za-z]*proj|slnx?|targets|props))(?:::[^\[\]]*)?\]\s*$")]
    private static partial Regex ProjectSuffix();

    [GeneratedRegex(@"^\s*(?:Determining projects to restore\.\.\.|All projects are up-to-date for restore\.|Restored .+ \(in .+\)\.|\S+ -> .+|Build (?:succeeded|FAILED)\.|\d+ (?:Warning|Error)\(s\)|Time Elapsed [\d:.]+|MSBuild version .+|Microsoft \(R\) Build Engine .+|Copyright \(C\) Microsoft Corporation.*|Workload updates are available\..*)$")]
    private static partial Regex Chatter();
}
