using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Functions.Agents.Serverless;

/// <summary>
/// Negotiate for Azure SignalR Service: an agent with a valid token gets the service's client URL and a client
/// token (the "redirect" negotiate response), and the standard .NET SignalR client follows it to the service.
/// Mapped at <c>/api/negotiate</c> and at the hub path's <c>/negotiate</c>, where the agent's client looks for
/// it — so the agent is configured exactly as for the in-process hub.
/// </summary>
public static class NegotiateEndpoints
{
    public static IEndpointRouteBuilder MapServerlessNegotiate(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/negotiate", Negotiate).WithTags("Agents");
        app.MapPost($"{AgentProtocol.HubPath}/negotiate", Negotiate).WithTags("Agents");
        return app;
    }

    public static IResult Negotiate(HttpRequest request, ServiceTokens tokens, IOptions<SignalRServiceOptions> options, IOptions<AgentsOptions> agents)
    {
        if (!AgentAuthentication.IsAllowed(AgentAuthentication.TokenOf(request), agents.Value.Tokens))
            return Results.Problem(statusCode: 401, title: "Agent token missing or not valid",
                detail: "Start the agent with --token set to one of the server's ReviewBot:Agents:Tokens.");
        // The user id only labels the connection on the service; agents are addressed by connection id.
        var userId = "agent-" + Guid.NewGuid().ToString("N");
        return Results.Ok(new NegotiateResponse(tokens.Endpoint.ClientUrl(options.Value.Hub), tokens.ForClient(userId)));
    }

    public sealed record NegotiateResponse(string Url, string AccessToken);
}
