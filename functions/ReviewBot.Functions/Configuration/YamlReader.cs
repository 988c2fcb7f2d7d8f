using ReviewBot.Core.Jobs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Configuration;

/// <summary>
/// The base of every hand-written reader of ReviewBot's YAML (<see cref="ConfigReader"/>, the sections' readers, the job
/// reader): one meaning of null, one description of a node, one way to read a value, a list, a mapping, a duration, and
/// to report an unknown key. Every problem is reported with the node it concerns (so with its line and column) and the
/// path of the field; the reader keeps going, so one load finds every error. Not thread-safe: one per read.
/// </summary>
internal abstract class YamlReader
{
    private readonly Action<YamlNode, string, string> _report;

    /// <summary>Reports into the file's error list as "path: message" at the node's position.</summary>
    protected YamlReader(ConfigErrorList errors)
        : this((node, path, message) => errors.Add(node, path.Length == 0 ? message : $"{path}: {message}"))
    {
    }

    /// <param name="report">Receives each problem: the node, the field's path, and the message without the path.</param>
    protected YamlReader(Action<YamlNode, string, string> report) => _report = report;

    protected virtual void Report(YamlNode node, string path, string message) => _report(node, path, message);

    /// <summary>Reports, and returns the default: for <c>return Report&lt;T&gt;(…)</c> in a reader of a T.</summary>
    protected T? Report<T>(YamlNode node, string path, string message)
    {
        Report(node, path, message);
        return default;
    }

    /// <summary>A YAML null: an empty value, "~" or "null", unquoted, and not tagged as something else (<c>!!str null</c> is
    /// the string "null").</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" } scalar
        && (scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific || scalar.Tag.Value == "tag:yaml.org,2002:null");

    /// <summary>A node as messages name what was found: "a mapping", "a list", "nothing", "'text'".</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };

    /// <summary>A tag other than YAML's own (!!str, !!int…), e.g. the '!windows' of an unquoted filter.</summary>
    public static bool HasCustomTag(YamlNode node) =>
        !node.Tag.IsEmpty && !node.Tag.IsNonSpecific && !node.Tag.Value.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal);

    /// <summary>The text of a scalar; null (and reported) for a list or mapping; null for a YAML null.</summary>
    protected string? ReadScalar(YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalar)
        {
            return Report<string>(node, path, $"expected a single value, found {Describe(node)}");
        }

        if (HasCustomTag(scalar))
        {
            // Unquoted `nodeLabels: !windows` is a YAML tag with an empty value, which would silently mean "any node".
            var meant = $"{scalar.Tag.Value} {scalar.Value}".TrimEnd();
            return Report<string>(node, path, $"YAML reads '{scalar.Tag.Value}' as a tag; quote a value that starts with '!', e.g. \"{meant}\"");
        }

        return IsNull(scalar) ? null : scalar.Value;
    }

    protected bool? ReadBool(YamlNode node, string path) => ReadScalar(node, path)?.ToLowerInvariant() switch
    {
        null => null,
        "true" => true,
        "false" => false,
        _ => Report<bool?>(node, path, $"expected true or false, found {Describe(node)}"),
    };

    protected IReadOnlyList<string>? ReadStringList(YamlNode node, string path) =>
        ReadItems(node, path)?.Select(item => item.Text).ToList();

    /// <summary>The non-empty strings of a list, with their nodes; null for a YAML null or (reported) a non-list.</summary>
    protected List<(string Text, YamlNode Node)>? ReadItems(YamlNode node, string path)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is not YamlSequenceNode list)
        {
            return Report<List<(string, YamlNode)>>(node, path, $"expected a list such as [\"a\", \"b\"], found {Describe(node)}");
        }

        var items = new List<(string, YamlNode)>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            if (item is YamlScalarNode scalar && !HasCustomTag(scalar) && (IsNull(scalar) || string.IsNullOrWhiteSpace(scalar.Value)))
            {
                Report(item, $"{path}[{i}]", "must not be empty");
            }
            else if (ReadScalar(item, $"{path}[{i}]") is { } text)
            {
                items.Add((text, item));
            }
        }

        return items;
    }

    /// <summary>A duration (<see cref="Durations"/>), with a leading day count when <paramref name="withDays"/>; null for a
    /// YAML null, or when it does not parse or <paramref name="accept"/> refuses it (reported with <paramref name="bad"/>'s
    /// message for the text).</summary>
    protected TimeSpan? ReadDuration(YamlNode node, string path, Func<string, string> bad, bool withDays = false, Func<TimeSpan, bool>? accept = null)
    {
        if (ReadScalar(node, path) is not { } text)
        {
            return null;
        }

        var trimmed = text.Trim();
        var parsed = withDays ? Durations.TryParseWithDays(trimmed, out var duration) : Durations.TryParse(trimmed, out duration);
        return parsed && (accept?.Invoke(duration) ?? true) ? duration : Report<TimeSpan?>(node, path, bad(text));
    }

    /// <summary>The entries of a mapping with string keys; a null value counts as an empty mapping.</summary>
    /// <param name="what">What the keys are, for the message when the node is not a mapping ("linter names").</param>
    protected IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(YamlNode node, string path, string what)
    {
        if (IsNull(node))
        {
            yield break;
        }

        if (node is not YamlMappingNode mapping)
        {
            Report(node, path, $"expected a mapping of {what}, found {Describe(node)}");
            yield break;
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is YamlScalarNode { Value: { Length: > 0 } key } && !IsNull(keyNode))
            {
                yield return (key, keyNode, value);
            }
            else
            {
                Report(keyNode, path, $"keys must be non-empty strings, found {Describe(keyNode)}");
            }
        }
    }

    /// <summary>Reports a key that is not one of <paramref name="known"/>, suggesting the one it differs from only in case.</summary>
    /// <param name="kind">What the key would be ("linter setting").</param>
    protected void UnknownKey(YamlNode keyNode, string key, string path, string kind, IReadOnlyList<string> known)
    {
        var like = known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
        Report(keyNode, path, like is null
            ? $"unknown {kind} '{key}' (expected one of: {string.Join(", ", known)})"
            : $"unknown {kind} '{key}' (did you mean '{like}'?)");
    }

    /// <summary>Whether the mapping <paramref name="node"/> has the key <paramref name="key"/> (whatever its value).</summary>
    protected static bool HasKey(YamlNode node, string key) =>
        node is YamlMappingNode m && m.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == key);
}
