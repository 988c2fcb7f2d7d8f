using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Agents.Credentials;
using static ReviewBot.Functions.Hosting.Http.Problems;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// Only agents with a valid token reach the hub: their own credential (<c>nodeId:secret</c>) or, while
/// <see cref="AgentsOptions.AllowSharedTokens"/> is on, a shared token (<see cref="AgentCredentials.AuthenticateAsync"/>).
/// The token comes as <c>Authorization: Bearer</c> (negotiate, long polling) or as the <c>access_token</c> query value
/// (WebSockets, where SignalR's clients cannot set headers). Who the token proved is the request's user
/// (<see cref="AgentCaller.Principal"/>): SignalR keeps it as the connection's user for every transport, and the hub
/// reads it back with <see cref="AgentCaller.From"/>, so it knows which node each connection may speak for.
/// </summary>
public static class AgentAuthentication
{
    public static IApplicationBuilder UseAgentAuthentication(this IApplicationBuilder app) =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments(AgentProtocol.HubPath), branch => branch.Use(async (context, next) =>
        {
            var (userId, refusal) = await Check(context);
            if (refusal is not null) { await refusal.ExecuteAsync(context); return; }
            context.User = AgentCaller.Principal(userId!);
            await next();
        }));

    /// <summary>The user id the request's agent token proves, or the problem to answer (401; 503 when storage cannot tell).</summary>
    public static async Task<(string? UserId, ProblemHttpResult? Refusal)> Check(HttpContext context)
    {
        var credentials = context.RequestServices.GetRequiredService<AgentCredentials>();
        try { return await credentials.AuthenticateAsync(TokenOf(context.Request), context.RequestAborted); }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
        {
            return (null, Problem(503, "Cannot check the agent credential now", "The credential store is unreachable; the agent retries."));
        }
    }

    public static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        return request.Query["access_token"].FirstOrDefault();
    }
}
