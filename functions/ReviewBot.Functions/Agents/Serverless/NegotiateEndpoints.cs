using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Agents.Credentials;

namespace ReviewBot.Functions.Agents.Serverless;

/// <summary>
/// Negotiate for Azure SignalR Service: an agent with a valid token gets the service's client URL and a client
/// token (the "redirect" negotiate response), and the standard .NET SignalR client follows it to the service.
/// Mapped at <c>/api/negotiate</c> and at the hub path's <c>/negotiate</c>, where the agent's client looks for
/// it — so the agent is configured exactly as for the in-process hub. The client token's user id is who the agent's
/// token proved (<see cref="AgentCaller.UserId"/>: its node id, or the shared token); the service passes it back with
/// every upstream call (<see cref="UpstreamEndpoints"/>), so the same identity checks hold on both channels.
/// </summary>
public static class NegotiateEndpoints
{
    public static IEndpointRouteBuilder MapServerlessNegotiate(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/negotiate", Negotiate).WithTags("Agents");
        app.MapPost($"{AgentProtocol.HubPath}/negotiate", Negotiate).WithTags("Agents");
        return app;
    }

    public static async Task<Results<Ok<NegotiateResponse>, ProblemHttpResult>> Negotiate(HttpContext context, ServiceTokens tokens, IOptions<SignalRServiceOptions> options)
    {
        var (userId, refusal) = await AgentAuthentication.Check(context);
        if (refusal is not null) return refusal;
        return TypedResults.Ok(new NegotiateResponse(tokens.Endpoint.ClientUrl(options.Value.Hub), tokens.ForClient(userId!)));
    }

    public sealed record NegotiateResponse(string Url, string AccessToken);
}
