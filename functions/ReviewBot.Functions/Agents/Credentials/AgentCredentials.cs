using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using static ReviewBot.Functions.Hosting.Http.Problems;

namespace ReviewBot.Functions.Agents.Credentials;

/// <summary>
/// Checks the token an agent connects with and issues per-agent credentials.
/// <list type="bullet">
/// <item>A shared token (<see cref="AgentsOptions.Tokens"/>, compared in constant time, every one of them) lets an
/// agent connect as <c>shared:&lt;i&gt;</c> while <see cref="AgentsOptions.AllowSharedTokens"/> is on; it is always a
/// bootstrap token: it may get a credential for a node id that has none.</item>
/// <item>A credential <c>nodeId:secret</c> is checked against the stored SHA-256 hash (constant time) and must not be
/// revoked; it speaks only for its node id, and may renew itself.</item>
/// </list>
/// Tokens and secrets are never logged. Secrets are 32 random bytes (base64url): a plain hash is enough to store them.
/// </summary>
public sealed partial class AgentCredentials(
    AgentCredentialStore store, AgentRegistry registry, IOptions<AgentsOptions> options, TimeProvider time, ILogger<AgentCredentials> log)
{
    private readonly IReadOnlyList<byte[]> _shared = [.. options.Value.Tokens.Select(t => SHA256.HashData(Encoding.UTF8.GetBytes(t)))];

    /// <summary>The index of the shared token <paramref name="token"/> is, or -1; compares against every token whatever matches.</summary>
    public int SharedTokenIndex(string? token)
    {
        if (string.IsNullOrEmpty(token)) return -1;
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var found = -1;
        for (var i = 0; i < _shared.Count; i++)
            if (CryptographicOperations.FixedTimeEquals(given, _shared[i])) found = i;
        return found;
    }

    /// <summary>The user id (<see cref="AgentCaller.UserId"/>) <paramref name="token"/> connects as, or the refusal to send.</summary>
    public async Task<(string? UserId, ProblemHttpResult? Refusal)> AuthenticateAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token))
            return (null, Unauthorized("Agent token missing", "Start the agent with its credential (reviewbot-agent register) or --token set to one of the server's ReviewBot:Agents:Tokens."));
        if (SharedTokenIndex(token) is var index and >= 0)
        {
            if (options.Value.AllowSharedTokens) return (AgentCaller.SharedSubject(index), null);
            return (null, Unauthorized("Shared agent tokens are turned off",
                "This server accepts only per-agent credentials (ReviewBot:Agents:AllowSharedTokens is false). Run 'reviewbot-agent register --server URL --token <token> --work-dir DIR' once, then start the agent without --token."));
        }
        if (!AgentCredentialFormat.TryParse(token, out var nodeId, out var secret))
            return (null, Unauthorized("Agent token not valid", "The token is neither an agent credential nor one of the server's ReviewBot:Agents:Tokens."));
        var stored = await store.GetAsync(nodeId, ct);
        if (stored is null || !Matches(secret, stored.SecretHash))
            return (null, Unauthorized("Agent credential not valid", $"No valid credential for node {nodeId}; register the agent again with a bootstrap token."));
        if (stored.Revoked)
            return (null, Unauthorized("Agent credential revoked", RevokedDetail(stored)));
        return (new AgentCaller("", AgentCredentialKind.Agent, nodeId).UserId, null);
    }

    /// <summary>Why <paramref name="caller"/> may not register <paramref name="nodeId"/>, or null when it may: a credential
    /// speaks only for its own node id and must not be revoked since it connected; a shared token may not register a node
    /// id that has a credential (or a revoked one).</summary>
    public async Task<string?> RegistrationProblemAsync(AgentCaller caller, string nodeId, CancellationToken ct)
    {
        if (caller.Kind == AgentCredentialKind.Agent && caller.NodeId != nodeId)
            return $"nodeId: this connection's credential belongs to node {caller.NodeId}, not {nodeId}";
        var stored = await store.GetAsync(nodeId, ct);
        if (stored is { Revoked: true }) return $"nodeId: node {nodeId} was revoked by an admin";
        if (caller.Kind == AgentCredentialKind.Shared && stored is not null)
            return $"nodeId: node {nodeId} has its own credential; a shared token cannot register it";
        if (caller.Kind == AgentCredentialKind.Agent && stored is null)
            return $"nodeId: node {nodeId} has no credential any more; register the agent again";
        return null;
    }

    /// <summary><c>POST /api/agent-credentials</c>: a bootstrap token gets a credential for a node id that has none (and
    /// that no agent connected with another shared token holds); a credential renews itself. The answer carries the
    /// credential once.</summary>
    public async Task<Results<JsonHttpResult<AgentCredentialResponse>, ProblemHttpResult>> IssueAsync(string? bearer, AgentCredentialRequest? request, CancellationToken ct)
    {
        var index = SharedTokenIndex(bearer);
        var renewing = index < 0 && AgentCredentialFormat.TryParse(bearer, out var ownNode, out var ownSecret) ? (ownNode, ownSecret) : default;
        if (index < 0 && renewing == default)
            return Unauthorized("Bootstrap token missing or not valid", "Send one of the server's ReviewBot:Agents:Tokens (or this agent's own credential) as 'Authorization: Bearer <token>'.");
        if (request is null) return Invalid("nodeId", "The body must be a JSON object {\"nodeId\": \"…\", \"name\": \"…\"}.");
        if (!RegistrationRules.IsValidNodeId(request.NodeId)) return Invalid("nodeId", $"nodeId must be {RegistrationRules.NodeIdRule}.");
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > RegistrationRules.MaxNameLength || !RegistrationRules.IsPlainText(request.Name))
            return Invalid("name", $"name must be 1-{RegistrationRules.MaxNameLength} characters without control or formatting characters.");

        var stored = await store.GetAsync(request.NodeId, ct);
        if (renewing != default)
        {
            if (renewing.ownNode != request.NodeId)
                return Forbidden("Not this agent's node id", $"A credential can only register its own node id ({renewing.ownNode}).");
            if (stored is null || !Matches(renewing.ownSecret, stored.SecretHash))
                return Unauthorized("Agent credential not valid", $"No valid credential for node {request.NodeId}; register with a bootstrap token.");
            if (stored.Revoked) return Forbidden("Agent credential revoked", RevokedDetail(stored));
        }
        else if (stored is { Revoked: true })
            return Forbidden("Agent revoked", RevokedDetail(stored));
        else if (stored is not null)
            return Conflict($"Node {request.NodeId} already has a credential. The agent holding it keeps using it (it is in its work dir); " +
                            $"to replace it, an admin revokes the agent (POST /api/agents/{request.NodeId}/revoke) and deletes the credential (DELETE /api/agents/{request.NodeId}/credential).");
        else if (registry.Get(request.NodeId) is { } known && BindingOf(known) is { } bound && bound.StartsWith("shared:", StringComparison.Ordinal) && bound != AgentCaller.SharedSubject(index))
            return Conflict($"Node {request.NodeId} is in use by an agent connected with another shared token; register from that agent, or use another work dir (node id).");

        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var issued = new StoredCredential(request.NodeId, Hash(secret), request.Name.Trim(), time.GetUtcNow(), null, null);
        var saved = stored is null ? await store.TryAddAsync(issued, ct) : await store.TryReplaceAsync(issued with { ETag = stored.ETag }, ct);
        if (!saved) return Conflict($"Node {request.NodeId}'s credential changed meanwhile; try again.");
        LogIssued(log, request.NodeId, issued.Name, stored is null ? $"bootstrap token #{index}" : "its previous credential");
        return TypedResults.Json(new AgentCredentialResponse(request.NodeId, AgentCredentialFormat.Format(request.NodeId, secret)), statusCode: 201);
    }

    private static string? BindingOf(AgentPresence node)
    {
        lock (node.Gate) return node.Binding;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static bool Matches(string secret, string storedHash) =>
        storedHash.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string RevokedDetail(StoredCredential c) =>
        $"An admin ({c.RevokedBy}) revoked node {c.NodeId} at {c.RevokedAt:u}. It can register again only after an admin deletes the revoked credential " +
        $"(DELETE /api/agents/{c.NodeId}/credential); then 'reviewbot-agent register' with a bootstrap token gives it a new one.";

    private static ProblemHttpResult Unauthorized(string title, string detail) => Problem(401, title, detail);
    private static ProblemHttpResult Forbidden(string title, string detail) => Problem(403, title, detail);
    private static ProblemHttpResult Conflict(string detail) => Problem(409, "Node id taken", detail, "nodeId");
    private static ProblemHttpResult Invalid(string field, string detail) => Problem(400, "Invalid agent registration", detail, field);

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Credential issued for node {NodeId} ({Name}) in exchange for {Proof}")]
    private static partial void LogIssued(ILogger logger, string nodeId, string name, string proof);
}
