using System.Globalization;
using System.Text.RegularExpressions;
using ReviewBot.Core.Labels;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Configuration;

// Single values of the file. Each Read* reports its own errors and returns null when the value is unusable.
internal sealed partial class ConfigReader
{
    /// <summary>Output formats the agent parses (format: in a linter).</summary>
    internal static readonly string[] Formats = ["auto", "gcc", "msbuild", "checkstyle", "sarif", "rdjson"];

    private bool? ReadBool(YamlNode node, string path) => ReadScalar(node, path)?.ToLowerInvariant() switch
    {
        null => null,
        "true" => true,
        "false" => false,
        _ => Report<bool?>(node, $"{path}: expected true or false, found {Describe(node)}"),
    };

    private IReadOnlyList<string>? ReadCommand(YamlNode node, string path)
    {
        var command = IsNull(node) ? [] : ReadStringList(node, path);
        if (command is [])
        {
            errors.Add(node, $"{path}: must not be empty; give the program and its fixed arguments, e.g. [\"shellcheck\"]");
        }

        // An invalid command stays "present", so the resolver does not also call it missing.
        return command ?? [];
    }

    private IReadOnlyList<string>? ReadStringList(YamlNode node, string path) =>
        ReadItems(node, path)?.Select(item => item.Text).ToList();

    /// <summary>The non-empty strings of a list, with their nodes; null for a YAML null or (reported) a non-list.</summary>
    private List<(string Text, YamlNode Node)>? ReadItems(YamlNode node, string path)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is not YamlSequenceNode list)
        {
            return Report<List<(string, YamlNode)>>(node, $"{path}: expected a list such as [\"a\", \"b\"], found {Describe(node)}");
        }

        var items = new List<(string, YamlNode)>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            if (item is YamlScalarNode scalar && !HasCustomTag(scalar) && (IsNull(scalar) || string.IsNullOrWhiteSpace(scalar.Value)))
            {
                errors.Add(item, $"{path}[{i}]: must not be empty");
            }
            else if (ReadScalar(item, $"{path}[{i}]") is { } text)
            {
                items.Add((text, item));
            }
        }

        return items;
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
                errors.Add(itemNode, $"{path}: '{item}' is not a file extension; write extensions like \".sh\" or \"sh\"");
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
                errors.Add(keyNode, $"{path}.{name}: an environment variable name cannot contain '='");
            }

            if (value is YamlScalarNode)
            {
                env[name] = ReadScalar(value, $"{path}.{name}") ?? "";
            }
            else
            {
                errors.Add(value, $"{path}.{name}: expected a single value, found {Describe(value)}");
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
            return Report<string>(node, $"{path}: must be a folder inside the repository, relative to its root, found '{dir}'");
        }

        return dir;
    }

    private string? ReadFormat(YamlNode node, string path)
    {
        if (ReadScalar(node, path) is not { } format)
        {
            return null;
        }

        var known = Formats.FirstOrDefault(f => string.Equals(f, format, StringComparison.OrdinalIgnoreCase));
        return known ?? Report<string>(node, $"{path}: unknown format '{format}' (expected one of: {string.Join(", ", Formats)})");
    }

    private FilterMode? ReadFilter(YamlNode node, string path) =>
        ReadScalar(node, path) is not { } text ? null
        : FilterModes.TryParse(text, out var mode) ? mode
        : Report<FilterMode?>(node, $"{path}: unknown filter '{text}' (expected one of: added, diff_context, file, nofilter)");

    private FailLevel? ReadFailOn(YamlNode node, string path) =>
        ReadScalar(node, path) is not { } text ? null
        : ReportSettingNames.TryParseFailLevel(text, out var level) ? level
        : Report<FailLevel?>(node, $"{path}: unknown level '{text}' (expected one of: none, any, info, warning, error)");

    private ReportMode? ReadReport(YamlNode node, string path) =>
        ReadScalar(node, path) is not { } text ? null
        : ReportSettingNames.TryParseMode(text, out var mode) ? mode
        : Report<ReportMode?>(node, $"{path}: unknown report '{text}' (expected one of: all, checks, review, none)");

    private TimeSpan? ReadTimeout(YamlNode node, string path)
    {
        if (ReadScalar(node, path) is not { } text)
        {
            return null;
        }

        if (!TryParseDuration(text.Trim(), out var timeout))
        {
            return Report<TimeSpan?>(node, $"{path}: bad timeout '{text}'; write a duration such as \"90s\", \"5m\", \"1h30m\" or \"00:05:00\"");
        }

        return timeout > TimeSpan.Zero ? timeout : Report<TimeSpan?>(node, $"{path}: timeout must be more than zero, found '{text}'");
    }

    /// <summary>"00:05:00" (TimeSpan, needs a ':'; a bare "5" would be 5 days) or Go-style "1h30m", "5m", "90s".</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Contains(':'))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
        }

        var match = UnitDuration().Match(text);
        if (!match.Success || text.Length == 0)
        {
            return false;
        }

        try
        {
            duration = TimeSpan.FromHours(Number(match, "h")) + TimeSpan.FromMinutes(Number(match, "m")) + TimeSpan.FromSeconds(Number(match, "s"));
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }

        static long Number(Match match, string unit) =>
            match.Groups[unit].Success ? long.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;
    }

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
                return Report<NodeLabelsSpec>(node, $"{path}: {ex.Detail} at position {ex.Position} of \"{text}\"");
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
            return Report<LabelFilter>(node, $"{path}: {ex.Detail} at position {ex.Position} of \"{text}\"");
        }
    }

    /// <summary>The text of a scalar; null (and reported) for a list or mapping; null for a YAML null.</summary>
    private string? ReadScalar(YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalar)
        {
            return Report<string>(node, $"{path}: expected a single value, found {Describe(node)}");
        }

        if (HasCustomTag(scalar))
        {
            // Unquoted `nodeLabels: !windows` is a YAML tag with an empty value, which would silently mean "any node".
            var meant = $"{scalar.Tag.Value} {scalar.Value}".TrimEnd();
            return Report<string>(node, $"{path}: YAML reads '{scalar.Tag.Value}' as a tag; quote a value that starts with '!', e.g. \"{meant}\"");
        }

        return IsNull(scalar) ? null : scalar.Value;
    }

    /// <summary>A tag other than YAML's own (!!str, !!int…), e.g. the '!windows' of an unquoted filter.</summary>
    private static bool HasCustomTag(YamlNode node) =>
        !node.Tag.IsEmpty && !node.Tag.IsNonSpecific && !node.Tag.Value.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal);

    private static bool IsLinterName(string name) => LinterName().IsMatch(name);

    /// <summary>Null when <paramref name="key"/> is a valid "owner" or "owner/repo"; otherwise what is wrong.</summary>
    internal static string? CheckRepositoryKey(string key)
    {
        var parts = key.Split('/');
        if (parts.Length > 2)
        {
            return $"'{key}' is neither an org ('myorg') nor a repository ('myorg/myrepo')";
        }

        if (!OwnerName().IsMatch(parts[0]))
        {
            return $"'{parts[0]}' is not a GitHub org or user name (letters, digits and '-', at most 39, not starting with '-')";
        }

        if (parts.Length == 2 && (!RepositoryName().IsMatch(parts[1]) || parts[1] is "." or ".."))
        {
            return $"'{parts[1]}' is not a GitHub repository name (letters, digits, '.', '_' and '-', at most 100)";
        }

        return null;
    }

    private T? Report<T>(YamlNode node, string message)
    {
        errors.Add(node, message);
        return default;
    }

    [GeneratedRegex(@"^(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitDuration();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LinterName();

    // '_' is not allowed in org names, but managed (EMU) user accounts end in "_shortcode" and can own repositories.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,38}$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnerName();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryName();
}
