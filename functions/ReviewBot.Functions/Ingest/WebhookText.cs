using System.Text;
using System.Text.Json;

namespace ReviewBot.Functions.Ingest;

/// <summary>
/// A JSON string may escape a lone UTF-16 surrogate (<c>"\ud800"</c>): valid JSON, but no text, and .NET throws
/// when such a value is read as a string, wherever that happens (a 500). Every webhook body is checked once, before
/// any parser reads it, and such a value is a 400 naming the field. Only escaped strings can hold one; raw bytes
/// that are not UTF-8 are already refused by the JSON reader.
/// </summary>
public static class WebhookText
{
    public static void Check(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        // One frame per open container: an object's frame holds the property being read, an array's the index.
        var path = new List<object>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    path[^1] = Text(ref reader, path) ?? "";
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    NextIndex(path);
                    path.Add(reader.TokenType == JsonTokenType.StartArray ? -1 : "");
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    break;
                default:
                    NextIndex(path);
                    if (reader.TokenType == JsonTokenType.String) Text(ref reader, path);
                    break;
            }
        }
    }

    private static void NextIndex(List<object> path)
    {
        if (path.Count > 0 && path[^1] is int index) path[^1] = index + 1;
    }

    /// <summary>The token's text when it is a property name (null for a value that needs no check); throws when it is no text.</summary>
    private static string? Text(ref Utf8JsonReader reader, List<object> path)
    {
        var name = reader.TokenType == JsonTokenType.PropertyName;
        if (!reader.ValueIsEscaped) return name ? reader.GetString() : null;
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            var field = Describe(name ? path[..^1] : path);
            if (name) field = field.Length == 0 ? "(a property name)" : $"{field} (a property name)";
            throw new WebhookPayloadException(field.Length == 0 ? "body" : field, "is not valid text (it escapes a lone UTF-16 surrogate)");
        }
    }

    private static string Describe(List<object> path)
    {
        var text = new StringBuilder();
        foreach (var part in path)
        {
            if (part is int i) text.Append('[').Append(i).Append(']');
            else if ((string)part is { Length: > 0 } name) text.Append(text.Length == 0 ? "" : ".").Append(name);
        }
        return text.ToString();
    }
}
