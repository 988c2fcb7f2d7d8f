using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Contracts.Agents;
using static ReviewBot.Functions.Hosting.Http.Problems;

namespace ReviewBot.Functions.Agents.Credentials;

/// <summary>
/// <list type="bullet">
/// <item><c>POST /api/agent-credentials</c> (<see cref="AgentCredentialFormat.Path"/>), authenticated by a bootstrap
/// token or the agent's own credential as Bearer, body <c>{"nodeId", "name"}</c>: 201 with the credential, once.</item>
/// <item><c>POST /api/agents/{nodeId}/revoke</c> (admin key): the agent is cut off at once, its tasks requeued.</item>
/// <item><c>DELETE /api/agents/{nodeId}/credential</c> (admin key): forgets a revoked credential, so the node id may
/// register again with a bootstrap token (204; 409 while it is not revoked).</item>
/// </list>
/// </summary>
public static class AgentCredentialEndpoints
{
    public static IEndpointRouteBuilder MapAgentCredentialEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(AgentCredentialFormat.Path, Issue).WithTags("Agents").DisableAntiforgery();
        app.MapPost("/api/agents/{nodeId}/revoke", Revoke).WithTags("Agents");
        app.MapDelete("/api/agents/{nodeId}/credential", Forget).WithTags("Agents");
        return app;
    }

    public static async Task<Results<JsonHttpResult<AgentCredentialResponse>, ProblemHttpResult>> Issue(HttpRequest request, AgentCredentials credentials,
        CancellationToken ct)
    {
        var header = request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        if (credentials.SharedTokenIndex(bearer) < 0 && !AgentCredentialFormat.TryParse(bearer, out _, out _))
            return await credentials.IssueAsync(bearer, null, ct); // refused before the body is read
        JsonElement body;
        try { body = (await JsonDocument.ParseAsync(request.Body, cancellationToken: ct)).RootElement; }
        catch (JsonException e) { return Invalid("body", $"The body is not JSON: {e.Message}"); }
        if (body.ValueKind != JsonValueKind.Object) return Invalid("body", "The body must be a JSON object {\"nodeId\": \"…\", \"name\": \"…\"}.");
        foreach (var field in new[] { "nodeId", "name" })
            if (!body.TryGetProperty(field, out var v) || v.ValueKind != JsonValueKind.String)
                return Invalid(field, $"\"{field}\" must be a string.");
        return await credentials.IssueAsync(bearer, new AgentCredentialRequest(body.GetProperty("nodeId").GetString()!, body.GetProperty("name").GetString()!), ct);
    }

    public static async Task<Results<Ok<AgentView>, NoContent, ProblemHttpResult>> Revoke(string nodeId, HttpContext context, AgentRevocation revocation,
        AgentDirectory directory, CancellationToken ct)
    {
        if (!RegistrationRules.IsValidNodeId(nodeId) || !await revocation.RevokeAsync(nodeId, context.User.Identity?.Name ?? "an admin", ct))
            return NotFound(nodeId);
        return (await directory.ListAsync(ct)).FirstOrDefault(v => v.NodeId == nodeId) is { } view ? TypedResults.Ok(view) : TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Forget(string nodeId, AgentRevocation revocation, CancellationToken ct) =>
        !RegistrationRules.IsValidNodeId(nodeId) ? NotFound(nodeId) : await revocation.ForgetAsync(nodeId, ct) switch
        {
            null => Problem(404, "No credential", $"Node {nodeId} has no credential."),
            false => Problem(409, "Credential not revoked", $"Node {nodeId}'s credential is in use; revoke the agent first (POST /api/agents/{nodeId}/revoke)."),
            true => TypedResults.NoContent(),
        };

    private static ProblemHttpResult NotFound(string nodeId) => Problem(404, "No such agent", $"No agent with node id '{nodeId}' is known.");

    private static ProblemHttpResult Invalid(string field, string detail) => Problem(400, "Invalid agent registration", detail, field);
}
