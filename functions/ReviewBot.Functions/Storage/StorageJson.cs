using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReviewBot.Functions.Storage;

/// <summary>How every store writes JSON into a table column or a blob: one setting, so what one store writes another
/// reads back the same (enums as names, nulls left out).</summary>
public static class StorageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // Storage is not HTML: text stays as it is (the default escaping writes six characters for each non-ASCII one).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
