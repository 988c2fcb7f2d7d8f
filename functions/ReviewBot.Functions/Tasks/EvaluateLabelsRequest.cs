using System.Text.Json;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// The body of POST /api/labels/evaluate, read by hand so that every malformed field gets a message naming it.
/// Property names match ignoring case. Sizes are capped: the endpoint is public and regexes cost to compile.
/// </summary>
internal sealed record EvaluateLabelsRequest(string Filter, IReadOnlyList<string> Labels)
{
    public const int MaxFilterLength = 4096;
    public const int MaxLabels = 1024;

    /// <summary>Either a request or a message saying what is wrong with the body.</summary>
    public static async Task<(EvaluateLabelsRequest? Request, string? Error)> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, default, cancellationToken);
        }
        catch (JsonException)
        {
            return (null, "the request body is not valid JSON; expected {\"filter\": \"...\", \"labels\": [\"...\"]}");
        }
        using (document)
        {
            return Read(document.RootElement);
        }
    }

    private static (EvaluateLabelsRequest?, string?) Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, "the request body must be a JSON object with 'filter' and 'labels'");
        }
        if (!TryGetProperty(root, "filter", out var filter))
        {
            return (null, "'filter' is required (use \"\" to match every agent)");
        }
        if (filter.ValueKind != JsonValueKind.String)
        {
            return (null, "'filter' must be a string");
        }
        if (filter.GetString()!.Length > MaxFilterLength)
        {
            return (null, $"'filter' is longer than {MaxFilterLength} characters");
        }
        if (!TryGetProperty(root, "labels", out var labels))
        {
            return (null, "'labels' is required (an array of strings, possibly empty)");
        }
        if (labels.ValueKind != JsonValueKind.Array)
        {
            return (null, "'labels' must be an array of strings");
        }
        if (labels.GetArrayLength() > MaxLabels)
        {
            return (null, $"'labels' has more than {MaxLabels} items");
        }
        var values = new List<string>();
        foreach (var label in labels.EnumerateArray())
        {
            if (label.ValueKind != JsonValueKind.String)
            {
                return (null, $"'labels[{values.Count}]' must be a string");
            }
            values.Add(label.GetString()!);
        }
        return (new EvaluateLabelsRequest(filter.GetString()!, values), null);
    }

    private static bool TryGetProperty(JsonElement root, string name, out JsonElement value)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }
}
