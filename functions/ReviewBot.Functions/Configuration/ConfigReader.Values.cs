using System.Text.RegularExpressions;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Labels;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Configuration;

// Single values of the file. Each Read* reports its own errors and returns null when the value is unusable.
internal sealed partial class ConfigReader
{
    private IReadOnlyList<string>? ReadCommand(YamlNode node, string path)
    {
        var command = IsNull(node) ? [] : ReadStringList(node, path);
        if (command is [])
        {
            Report(node, path, $"must not be empty; give the program and its fixed arguments, e.g. [\"shellcheck\"]");
        }

        // An invalid command stays "present", so the resolver does not also call it missing.
        return command ?? [];
    }

    private IReadOnlyList<string>? ReadLanguages(YamlNode node, string path)
    {
        if (ReadItems(node, path) is not { } items)
        {
            return null;
        }

        var languages = new List<string>();
        foreach (var (item, itemNode) in items)
        {
            var extension = item.Trim().ToLowerInvariant();
            extension = extension.StartsWith('.') ? extension : "." + extension;
            if (extension.Length < 2 || extension.Contains("..") || extension.IndexOfAny(['/', '\\', '*', '?', ' ', '\t']) >= 0)
            {
                Report(itemNode, path, $"'{item}' is not a file extension; write extensions like \".sh\" or \"sh\"");
            }
            else if (!languages.Contains(extension))
            {
                languages.Add(extension);
            }
        }

        return languages;
    }

    private Dictionary<string, string>? ReadEnv(YamlNode node, string path)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, keyNode, value) in Entries(node, path, "environment variables"))
        {
            if (name.IndexOfAny(['=', '\0']) >= 0)
            {
                Report(keyNode, $"{path}.{name}", $"an environment variable name cannot contain '='");
            }

            if (value is YamlScalarNode)
            {
                env[name] = ReadScalar(value, $"{path}.{name}") ?? "";
            }
            else
            {
                Report(value, $"{path}.{name}", $"expected a single value, found {Describe(value)}");
            }
        }

        return IsNull(node) ? null : env;
    }

    private string? ReadWorkDir(YamlNode node, string path)
    {
        if (ReadScalar(node, path) is not { } dir)
        {
            return null;
        }

        var rooted = dir.StartsWith('/') || dir.StartsWith('\\') || Path.IsPathRooted(dir) || (dir.Length >= 2 && dir[1] == ':');
        if (rooted || dir.Split('/', '\\').Contains(".."))
        {
            return Report<string>(node, path, $"must be a folder inside the repository, relative to its root, found '{dir}'");
        }

        return dir;
    }

    private string? ReadFormat(YamlNode node, string path) =>
        ReadScalar(node, path) is not { } format ? null
        : OutputFormats.Canonical(format) ?? Report<string>(node, path, $"unknown format '{format}' (expected one of: {string.Join(", ", OutputFormats.All)})");

    private FilterMode? ReadFilter(YamlNode node, string path) =>
        ReadScalar(node, path) is not { } text ? null
        : FilterModes.TryParse(text, out var mode) ? mode
        : Report<FilterMode?>(node, path, $"unknown filter '{text}' (expected one of: added, diff_context, file, nofilter, new)");

    private FailLevel? ReadFailOn(YamlNode node, string path) =>
        ReadScalar(node, path) is not { } text ? null
        : ReportSettingNames.TryParseFailLevel(text, out var level) ? level
        : Report<FailLevel?>(node, path, $"unknown level '{text}' (expected one of: none, any, info, warning, error)");

    private ReportMode? ReadReport(YamlNode node, string path) =>
        ReadScalar(node, path) is not { } text ? null
        : ReportSettingNames.TryParseMode(text, out var mode) ? mode
        : Report<ReportMode?>(node, path, $"unknown report '{text}' (expected one of: all, checks, review, none)");

    private SummaryMode? ReadSummary(YamlNode node, string path) =>
        ReadScalar(node, path) is not { } text ? null
        : ReportSettingNames.TryParseSummary(text, out var mode) ? mode
        : Report<SummaryMode?>(node, path, $"unknown summary '{text}' (expected one of: on, off, onFindings)");

    private FixedMode? ReadFixed(YamlNode node, string path) =>
        ReadScalar(node, path) is not { } text ? null
        : ReportSettingNames.TryParseFixed(text, out var mode) ? mode
        : Report<FixedMode?>(node, path, $"unknown fixed '{text}' (expected one of: resolve, delete)");

    private TimeSpan? ReadTimeout(YamlNode node, string path) =>
        ReadDuration(node, path, text => $"bad timeout '{text}'; write a duration such as \"90s\", \"5m\", \"1h30m\" or \"00:05:00\"") is not { } timeout ? null
        : timeout > TimeSpan.Zero ? timeout
        : Report<TimeSpan?>(node, path, $"timeout must be more than zero, found {Describe(node)}");

    /// <summary>A filter string, or a list meaning its items ANDed. The text of the result is kept to AND it with other levels.</summary>
    private NodeLabelsSpec? ReadNodeLabels(YamlNode node, string path)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is YamlSequenceNode)
        {
            if (ReadItems(node, path) is not { } items)
            {
                return null;
            }

            var children = ((YamlSequenceNode)node).Children;
            var valid = items.Count == children.Count;
            foreach (var (item, itemNode) in items)
            {
                valid &= ParseFilter(item, itemNode, $"{path}[{children.IndexOf(itemNode)}]") is not null;
            }

            if (!valid || items.Count == 0)
            {
                return valid ? NodeLabelsSpec.Empty : null;
            }

            var text = string.Join(" && ", items.Select(i => $"({i.Text})"));
            try
            {
                return new NodeLabelsSpec(LabelFilter.FromList(items.Select(i => i.Text)), text);
            }
            catch (LabelFilterSyntaxException ex)
            {
                return Report<NodeLabelsSpec>(node, path, $"{ex.Detail} at position {ex.Position} of \"{text}\"");
            }
        }

        return ReadScalar(node, path) is not { } value ? null
            : string.IsNullOrWhiteSpace(value) ? NodeLabelsSpec.Empty
            : ParseFilter(value, node, path) is { } filter ? new NodeLabelsSpec(filter, value.Trim())
            : null;
    }

    private LabelFilter? ParseFilter(string text, YamlNode node, string path)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return LabelFilter.Empty;
        }

        try
        {
            return LabelFilter.Parse(text);
        }
        catch (LabelFilterSyntaxException ex)
        {
            return Report<LabelFilter>(node, path, $"{ex.Detail} at position {ex.Position} of \"{text}\"");
        }
    }

    private static bool IsLinterName(string name) => LinterName().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LinterName();
}
