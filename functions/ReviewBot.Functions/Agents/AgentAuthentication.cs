using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// Only agents with a configured token reach the hub: the token comes as <c>Authorization: Bearer</c> (negotiate,
/// long polling) or as the <c>access_token</c> query value (WebSockets, where browsers' and SignalR's clients
/// cannot set headers). Compared in constant time.
/// </summary>
public static class AgentAuthentication
{
    public static IApplicationBuilder UseAgentAuthentication(this IApplicationBuilder app) =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments(AgentProtocol.HubPath), branch => branch.Use(async (context, next) =>
        {
            var tokens = context.RequestServices.GetRequiredService<IOptions<AgentsOptions>>().Value.Tokens;
            if (IsAllowed(TokenOf(context.Request), tokens)) { await next(); return; }
            await Results.Problem(statusCode: 401, title: "Agent token missing or not valid",
                detail: "Start the agent with --token set to one of the server's ReviewBot:Agents:Tokens.").ExecuteAsync(context);
        }));

    public static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        return request.Query["access_token"].FirstOrDefault();
    }

    public static bool IsAllowed(string? token, IReadOnlyList<string> allowed)
    {
        if (string.IsNullOrEmpty(token)) return false;
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var ok = false;
        foreach (var t in allowed)
            ok |= CryptographicOperations.FixedTimeEquals(given, SHA256.HashData(Encoding.UTF8.GetBytes(t)));
        return ok;
    }
}
