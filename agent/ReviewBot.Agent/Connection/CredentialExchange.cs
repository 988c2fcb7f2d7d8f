using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Connection;

/// <summary>The server does not issue per-agent credentials (an older server: 404 on the exchange).</summary>
internal sealed class CredentialsNotSupportedException(string message) : Exception(message);

/// <summary>
/// <c>POST /api/agent-credentials</c> (<see cref="AgentCredentialFormat.Path"/>): a bootstrap token (or the agent's
/// current credential) for a credential bound to this node id. A 4xx answer is final (<see cref="RegistrationRefusedException"/>
/// with the server's explanation); a 404 means the server predates credentials; network errors and 5xx are transient
/// (<see cref="HttpRequestException"/>). The token and the credential are never logged or put in an exception.
/// </summary>
internal static class CredentialExchange
{
    public static async Task<AgentCredentialResponse> ExchangeAsync(
        HttpClient http, Uri server, string bearer, string nodeId, string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.AbsoluteUri.TrimEnd('/') + AgentCredentialFormat.Path))
        {
            Content = JsonContent.Create(new AgentCredentialRequest(nodeId, name)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created
            && await response.Content.ReadFromJsonAsync<AgentCredentialResponse>(cancellationToken).ConfigureAwait(false) is { Credential.Length: > 0 } issued
            && issued.NodeId == nodeId)
        {
            return issued;
        }

        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            throw new CredentialsNotSupportedException($"{server} does not issue agent credentials (HTTP {(int)response.StatusCode})");
        }

        var problem = await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode is >= 400 and < 500)
        {
            throw new RegistrationRefusedException($"HTTP {(int)response.StatusCode}: {problem}");
        }

        throw new HttpRequestException($"the server answered HTTP {(int)response.StatusCode} to the credential exchange: {problem}", null, response.StatusCode);
    }

    /// <summary>Why the hub refuses <paramref name="token"/>: the problem the negotiate endpoint answers (the SignalR
    /// client only reports "401"), e.g. "Agent credential revoked: An admin revoked node …".</summary>
    public static async Task<string> RefusalOfAsync(HttpClient http, Uri hubUrl, string? token, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hubUrl.AbsoluteUri.TrimEnd('/') + "/negotiate?negotiateVersion=1"));
            if (!string.IsNullOrEmpty(token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return $"HTTP {(int)response.StatusCode}: {await ProblemAsync(response, cancellationToken).ConfigureAwait(false)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return "HTTP 401";
        }
    }

    /// <summary>"title: detail" of a problem+json answer, or the status text.</summary>
    private static async Task<string> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
            var title = body.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = body.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return string.Join(": ", new[] { title, detail }.Where(s => !string.IsNullOrEmpty(s)).DefaultIfEmpty(response.ReasonPhrase ?? "no details"));
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return response.ReasonPhrase ?? "no details";
        }
    }
}
