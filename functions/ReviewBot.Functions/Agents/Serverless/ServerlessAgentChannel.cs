using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Functions.Agents.Serverless;

/// <summary>
/// Server → agent calls through Azure SignalR Service's REST API (v1): "send to connection" with the hub method
/// name as <c>target</c>, authenticated by a short-lived token per request. Transient failures are retried by the
/// named client's resilience handler; a 404 (the connection is gone) is reported as
/// <see cref="AgentUnreachableException"/> so routing tries another agent.
/// </summary>
public sealed class ServerlessAgentChannel(IHttpClientFactory http, ServiceTokens tokens, IOptions<SignalRServiceOptions> options) : IAgentChannel
{
    public const string HttpClientName = "SignalRService";

    /// <summary>The hub protocol's JSON payload conventions (camelCase), so the .NET client binds the arguments.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task AssignAsync(string connectionId, TaskAssignment assignment, CancellationToken ct) =>
        SendAsync(connectionId, nameof(IAgentClient.AssignTask), assignment, ct);

    public Task CancelAsync(string connectionId, TaskCancellation cancellation, CancellationToken ct) =>
        SendAsync(connectionId, nameof(IAgentClient.CancelTask), cancellation, ct);

    /// <summary>Closes an agent's connection (it reconnects through negotiate).</summary>
    public async Task CloseAsync(string connectionId, string reason, CancellationToken ct)
    {
        var url = ConnectionUrl(connectionId);
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"{url}?reason={Uri.EscapeDataString(reason)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.ForRest(url));
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.NotFound) response.EnsureSuccessStatusCode();
    }

    private async Task SendAsync<T>(string connectionId, string target, T argument, CancellationToken ct)
    {
        var url = ConnectionUrl(connectionId);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new ServiceMessage(target, [argument]), options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.ForRest(url));
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new AgentUnreachableException($"connection {connectionId} is not connected to the SignalR service");
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"SignalR service answered {(int)response.StatusCode} to {target}: {await response.Content.ReadAsStringAsync(ct)}", null, response.StatusCode);
    }

    private Uri ConnectionUrl(string connectionId) =>
        new($"{tokens.Endpoint.BaseUrl.AbsoluteUri}api/v1/hubs/{options.Value.Hub}/connections/{Uri.EscapeDataString(connectionId)}");

    private sealed record ServiceMessage(string Target, object?[] Arguments);
}

/// <summary>The agent's connection is gone; the caller treats it like an agent that did not answer.</summary>
public sealed class AgentUnreachableException(string message) : Exception(message);
