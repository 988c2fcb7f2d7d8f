using System.Security.Claims;

namespace ReviewBot.Functions.Agents.Credentials;

/// <summary>How an agent connection proved itself.</summary>
public enum AgentCredentialKind
{
    /// <summary>Its own credential, bound to one node id.</summary>
    Agent,
    /// <summary>One of the shared agent tokens (deprecated; see <see cref="AgentsOptions.AllowSharedTokens"/>).</summary>
    Shared,
}

/// <summary>
/// Who is at the other end of an agent connection, as its credential proved when it connected.
/// <see cref="Subject"/> is the node id for <see cref="AgentCredentialKind.Agent"/> and <c>shared:&lt;index&gt;</c>
/// (the index of the token in <see cref="AgentsOptions.Tokens"/>) for a shared token. The same text, the
/// <see cref="UserId"/>, is the connection's user id: a claim of the in-process hub's user, and the user id of the
/// Azure SignalR Service client token, which the service hands back with every upstream call (<c>X-ASRS-User-Id</c>).
/// </summary>
public sealed record AgentCaller(string ConnectionId, AgentCredentialKind Kind, string Subject)
{
    private const string AgentPrefix = "agent:";
    private const string SharedPrefix = "shared:";
    public const string AuthenticationType = "AgentCredential";

    public string UserId => Kind == AgentCredentialKind.Agent ? AgentPrefix + Subject : Subject;

    /// <summary>The node id the credential is bound to; null for a shared token (it may speak for any node id not bound elsewhere).</summary>
    public string? NodeId => Kind == AgentCredentialKind.Agent ? Subject : null;

    public static string SharedSubject(int tokenIndex) => SharedPrefix + tokenIndex;

    /// <summary>The caller a user id stands for, or null when it is not one this app gave out.</summary>
    public static AgentCaller? FromUserId(string connectionId, string? userId)
    {
        if (userId is null) return null;
        if (userId.StartsWith(AgentPrefix, StringComparison.Ordinal) && Contracts.Agents.RegistrationRules.IsValidNodeId(userId[AgentPrefix.Length..]))
            return new AgentCaller(connectionId, AgentCredentialKind.Agent, userId[AgentPrefix.Length..]);
        if (userId.StartsWith(SharedPrefix, StringComparison.Ordinal) && int.TryParse(userId[SharedPrefix.Length..], out _))
            return new AgentCaller(connectionId, AgentCredentialKind.Shared, userId);
        return null;
    }

    public static AgentCaller? From(string connectionId, ClaimsPrincipal? user) =>
        user?.Identities.FirstOrDefault(i => i.AuthenticationType == AuthenticationType) is { } identity
            ? FromUserId(connectionId, identity.FindFirst(ClaimTypes.NameIdentifier)?.Value)
            : null;

    public static ClaimsPrincipal Principal(string userId) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], AuthenticationType));

    /// <summary>"agent credential" / "shared token #1" for messages (never the token itself).</summary>
    public string Describe() => Kind == AgentCredentialKind.Agent ? $"the credential of node {Subject}" : $"shared token #{Subject[SharedPrefix.Length..]}";
}
