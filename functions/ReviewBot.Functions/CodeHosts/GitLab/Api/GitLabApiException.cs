using System.Net;
using System.Text.Json;

namespace ReviewBot.Functions.CodeHosts.GitLab.Api;

/// <summary>GitLab answered with an error status. <see cref="ApiMessage"/> is GitLab's <c>message</c> (or <c>error</c>)
/// field as text: a string, or the JSON of an object of field errors.</summary>
public sealed class GitLabApiException(HttpStatusCode status, string method, string path, string apiMessage)
    : Exception($"GitLab {method} {path}: {(int)status} {apiMessage}")
{
    public HttpStatusCode Status { get; } = status;
    public string ApiMessage { get; } = apiMessage;

    internal static string MessageOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
                foreach (var name in new[] { "message", "error" })
                    if (doc.RootElement.TryGetProperty(name, out var m))
                        return m.ValueKind == JsonValueKind.String ? m.GetString()! : m.GetRawText();
        }
        catch (JsonException) { }
        return body.Length <= 500 ? body : body[..500] + "…";
    }
}
