using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Agents.Credentials;
using ReviewBot.Functions.Hosting;
using static ReviewBot.Functions.Hosting.Http.Problems;
using UpstreamResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok,
    Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace ReviewBot.Functions.Agents.Serverless;

/// <summary>
/// <c>POST /api/signalr/{hub}/{category}/{event}</c>: what Azure SignalR Service forwards from agents. The
/// signature is checked first (401, nothing done, when no configured key made it); <c>connections</c> events
/// (connected, disconnected) and <c>messages</c> (hub invocations, JSON hub protocol, with or without the 0x1E
/// separator) are handed to <see cref="AgentSession"/>, exactly as the in-process hub does. An invocation with an
/// id is answered with a hub-protocol completion (<c>{"type":3,…}</c>), which the service relays to the agent.
/// Who the connection is comes from <c>X-ASRS-User-Id</c>: the user id negotiate put in the client token
/// (<see cref="NegotiateEndpoints"/>), which the service hands back with every call of that connection.
/// </summary>
public static class UpstreamEndpoints
{
    private const char RecordSeparator = '\u001e';

    public static IEndpointRouteBuilder MapServerlessUpstream(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/signalr/{hub}/{category}/{event}", Receive).WithTags("Agents").DisableAntiforgery()
            .WithRequestBodyLimit(() => AgentsRegistration.MaxMessageBytes + 64 * 1024); // one hub message and its framing
        return app;
    }

    public static async Task<UpstreamResult> Receive(string hub, string category, string @event, HttpRequest request, AgentSession session,
        ServiceTokens tokens, IOptions<SignalRServiceOptions> options, CancellationToken ct)
    {
        var connectionId = request.Headers["X-ASRS-Connection-Id"].FirstOrDefault();
        if (!UpstreamSignature.IsValid(connectionId, request.Headers["X-ASRS-Signature"].FirstOrDefault(), tokens.AccessKeys))
            return Problem(401, "Upstream signature missing or not valid", "X-ASRS-Signature does not match the connection id under any configured access key.");
        if (!string.Equals(hub, options.Value.Hub, StringComparison.OrdinalIgnoreCase))
            return Problem(404, "Unknown hub", $"This app serves the hub '{options.Value.Hub}'.");

        switch (category)
        {
            case "connections" when @event == "connected":
                return TypedResults.Ok();
            case "connections" when @event == "disconnected":
                session.Disconnected(connectionId!);
                return TypedResults.Ok();
            case "messages":
                break;
            default:
                return Problem(404, "Unknown event", $"{category}/{@event} is not an event of this hub.");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = (await reader.ReadToEndAsync(ct)).TrimEnd(RecordSeparator);
        HubInvocation? invocation;
        try { invocation = JsonSerializer.Deserialize<HubInvocation>(text, ServerlessAgentChannel.Json); }
        catch (JsonException e) { return Problem(400, "Not a hub invocation", e.Message); }
        if (invocation is not { Type: 1, Target: { } target })
            return Problem(400, "Not a hub invocation", "Expected a JSON hub protocol message of type 1 with a target.");

        if (AgentCaller.FromUserId(connectionId!, request.Headers["X-ASRS-User-Id"].FirstOrDefault()) is not { } caller)
            return Completion(invocation.InvocationId, null, "this connection has no agent credential");
        object? result;
        try { result = await DispatchAsync(session, caller, target, invocation.Arguments ?? [], ct); }
        catch (AgentProtocolException e) { return Completion(invocation.InvocationId, null, e.Message); }
        catch (Exception e) when (e is JsonException or ArgumentException) { return Completion(invocation.InvocationId, null, $"bad arguments for {target}: {e.Message}"); }
        return Completion(invocation.InvocationId, result, null);
    }

    private static async Task<object?> DispatchAsync(AgentSession session, AgentCaller caller, string target, JsonElement[] args, CancellationToken ct)
    {
        T Arg<T>() => args.Length == 1 ? args[0].Deserialize<T>(ServerlessAgentChannel.Json) ?? throw new ArgumentException("null argument")
            : throw new ArgumentException($"expected 1 argument, got {args.Length}");
        switch (target)
        {
            case nameof(IAgentHub.Register): return await session.RegisterAsync(caller, Arg<AgentRegistration>(), ct);
            case nameof(IAgentHub.Heartbeat): await session.HeartbeatAsync(caller, Arg<AgentHeartbeat>(), ct); return null;
            case nameof(IAgentHub.AcceptTask): return await session.AcceptTaskAsync(caller, Arg<TaskAcceptance>(), ct);
            case nameof(IAgentHub.AppendLog): await session.AppendLogAsync(caller, Arg<LogChunk>(), ct); return null;
            case nameof(IAgentHub.CompleteTask): return await session.CompleteTaskAsync(caller, Arg<TaskResult>());
            case nameof(IAgentHub.Deregister): return await session.DeregisterAsync(caller, Arg<AgentDeregistration>(), ct);
            default: throw new AgentProtocolException($"Method does not exist: {target}");
        }
    }

    /// <summary>Fire-and-forget messages get an empty 200; invocations their completion (JSON + 0x1E).</summary>
    private static UpstreamResult Completion(string? invocationId, object? result, string? error)
    {
        if (invocationId is null) return TypedResults.Ok();
        var message = error is null
            ? JsonSerializer.Serialize(new { type = 3, invocationId, result }, ServerlessAgentChannel.Json)
            : JsonSerializer.Serialize(new { type = 3, invocationId, error }, ServerlessAgentChannel.Json);
        return TypedResults.Text(message + RecordSeparator, "application/json", Encoding.UTF8);
    }

    private sealed record HubInvocation(int Type, string? InvocationId, string? Target, JsonElement[]? Arguments);
}
