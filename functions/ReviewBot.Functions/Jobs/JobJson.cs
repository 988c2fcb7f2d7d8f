using System.Text.Json;
using ReviewBot.Core.Jobs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Jobs;

/// <summary>
/// An API request body as a job definition: the JSON is turned into YAML nodes and read by <see cref="JobReader"/>, so the
/// API takes exactly the shape of a <c>jobs:</c> entry of the file (plus "name") and gives the same messages. The
/// read-only fields of a GET answer are ignored, so a GET, edited, can be PUT back.
/// </summary>
public static class JobJson
{
    /// <summary>Fields a GET answer has that a definition does not.</summary>
    internal static readonly string[] ReadOnly = ["name", "origin", "triggerKind", "nextRun", "executionCount", "lastRun"];

    /// <param name="keptSecrets">The stored secrets a "***" value keeps.</param>
    /// <param name="enabled">The enabled state to keep when the body does not say.</param>
    public static (JobDefinition? Job, IReadOnlyList<JobFieldError> Errors) Read(
        string name, JsonElement body, JobValidationContext context, IReadOnlyDictionary<string, string>? keptSecrets, bool enabled)
    {
        var errors = new List<JobFieldError>();
        if (body.ValueKind != JsonValueKind.Object)
            return (null, [new JobFieldError("", $"expected a JSON object with the job's settings ({string.Join(", ", JobReader.Keys)}), found {body.ValueKind}")]);
        var node = new YamlMappingNode();
        // JSON allows a key twice; as System.Text.Json does, the last one wins.
        foreach (var property in body.EnumerateObject().GroupBy(p => p.Name, StringComparer.Ordinal).Select(g => g.Last()))
            if (!ReadOnly.Contains(property.Name)) node.Add(new YamlScalarNode(property.Name), ToNode(property.Value));
        if (!body.TryGetProperty("enabled", out _)) node.Add(new YamlScalarNode("enabled"), new YamlScalarNode(enabled ? "true" : "false"));
        var reader = new JobReader((_, field, message) => errors.Add(new JobFieldError(field, message)), environment: null, keptSecrets);
        var job = reader.Read(name, new YamlScalarNode(name), node, context, JobOrigin.Api);
        return (job, errors);
    }

    /// <summary>The "name" of a create request; null with an error when it is missing or not a job name.</summary>
    public static string? NameOf(JsonElement body, out JobFieldError? error)
    {
        error = null;
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
            && n.GetString() is { } name && JobValidator.IsName(name))
            return name;
        error = new JobFieldError("name", "a job name is required: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64");
        return null;
    }

    private static YamlNode ToNode(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => new YamlMappingNode(e.EnumerateObject().GroupBy(p => p.Name, StringComparer.Ordinal).Select(g => g.Last())
            .Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Name), ToNode(p.Value)))),
        JsonValueKind.Array => new YamlSequenceNode(e.EnumerateArray().Select(ToNode)),
        JsonValueKind.String => new YamlScalarNode(e.GetString()) { Style = ScalarStyle.DoubleQuoted },
        JsonValueKind.Null => new YamlScalarNode(""),
        _ => new YamlScalarNode(e.GetRawText()),
    };
}
