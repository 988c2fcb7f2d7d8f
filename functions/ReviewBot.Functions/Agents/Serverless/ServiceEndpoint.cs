using System.Diagnostics.CodeAnalysis;

namespace ReviewBot.Functions.Agents.Serverless;

/// <summary>
/// A parsed Azure SignalR Service connection string. <see cref="BaseUrl"/> is where requests go (with the port);
/// <see cref="AudienceBase"/> is what tokens name (scheme and host, no port — as the service and its SDK do).
/// The access key is used as the UTF-8 bytes of its text, not base64-decoded.
/// </summary>
public sealed record ServiceEndpoint(Uri BaseUrl, string AudienceBase, string AccessKey)
{
    public static bool TryParse(string connectionString, [NotNullWhen(true)] out ServiceEndpoint? endpoint, [NotNullWhen(false)] out string? problem)
    {
        endpoint = null;
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Endpoint", out var e) || !Uri.TryCreate(e, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            problem = "Endpoint=http(s)://… is missing or not a URL";
            return false;
        }
        if (!parts.TryGetValue("AccessKey", out var key) || key.Length == 0)
        {
            problem = "AccessKey=… is missing";
            return false;
        }
        if (parts.TryGetValue("Version", out var version) && !version.StartsWith("1.", StringComparison.Ordinal))
        {
            problem = $"Version={version} is not supported (1.x)";
            return false;
        }
        var port = uri.Port;
        if (parts.TryGetValue("Port", out var p) && (!int.TryParse(p, out port) || port is < 1 or > 65535))
        {
            problem = $"Port={p} is not a port number";
            return false;
        }
        var builder = new UriBuilder(uri.Scheme, uri.Host, port, "/");
        endpoint = new ServiceEndpoint(builder.Uri, $"{uri.Scheme}://{uri.Host}/", key);
        problem = null;
        return true;
    }

    /// <summary>Where an agent's client goes after negotiate.</summary>
    public string ClientUrl(string hub) => $"{BaseUrl.AbsoluteUri}client/?hub={hub}";

    /// <summary>The client token's audience: the client URL without the port.</summary>
    public string ClientAudience(string hub) => $"{AudienceBase}client/?hub={hub}";
}
