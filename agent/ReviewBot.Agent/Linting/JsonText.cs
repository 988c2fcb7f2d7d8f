using System.Text;
using System.Text.Json;

namespace ReviewBot.Agent.Linting;

/// <summary>Reading JSON documents out of tool output, and small lookups on them.</summary>
internal static class JsonText
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        AllowMultipleValues = true,
    };

    /// <summary>
    /// Parses the first JSON value in <paramref name="text"/>. It must start a line; the lines before it and the
    /// text after it are returned in <see cref="JsonParse.Extra"/> so callers can report them as unexpected.
    /// </summary>
    public static JsonParse ParseFirstValue(string text)
    {
        var lines = OutputText.Lines(text);
        var start = Array.FindIndex(lines, line => line.TrimStart() is ['{', ..] or ['[', ..]);
        if (start < 0)
        {
            return new JsonParse(null, [], "no JSON document found");
        }

        var extra = lines[..start].Select(OutputText.Clean).Where(line => line.Length > 0).ToList();
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines[start..]));
        var reader = new Utf8JsonReader(bytes, ReaderOptions);
        JsonDocument document;
        try
        {
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return new JsonParse(null, [], $"invalid JSON: {ex.Message}");
        }

        var consumed = (int)reader.BytesConsumed;
        extra.AddRange(OutputText.NonBlankLines(Encoding.UTF8.GetString(bytes, consumed, bytes.Length - consumed)));
        return new JsonParse(document, extra, null);
    }

    /// <summary>Parses one line as a JSON value, or returns null.</summary>
    public static JsonDocument? TryParseLine(string line)
    {
        try
        {
            return JsonDocument.Parse(line, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The names of the top-level properties of the first JSON object in <paramref name="text"/>, read
    /// without building a document (and as far as the text is well-formed), for format detection.</summary>
    public static HashSet<string> TopLevelPropertyNames(string text)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return names;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                names.Add(reader.GetString()!);
                if (!reader.Read())
                {
                    break;
                }

                reader.Skip(); // the value; stops early when the text is cut short or malformed
            }
        }
        catch (JsonException)
        {
            // Malformed after some properties: detection works with what was read.
        }

        return names;
    }

    public static JsonElement? Property(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;

    public static JsonElement? Property(this JsonElement? element, string name) =>
        element is { } value ? value.Property(name) : null;

    public static string? String(this JsonElement? element) =>
        element is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static int? Int(this JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : null;

    public static IEnumerable<JsonElement> Items(this JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];
}

/// <summary>A parsed document (or the reason there is none) plus the non-JSON lines around it.</summary>
internal sealed record JsonParse(JsonDocument? Document, IReadOnlyList<string> Extra, string? Error);
