namespace ReviewBot.Contracts.Agents;

/// <summary>
/// Per-agent credentials. An agent exchanges a bootstrap token (one of the server's agent tokens) for a credential
/// bound to its node id: <c>POST</c> <see cref="Path"/> with <c>Authorization: Bearer &lt;bootstrap token&gt;</c> and an
/// <see cref="AgentCredentialRequest"/>; the answer (201) carries the credential once, the server keeps only a hash.
/// The agent then connects to the hub with the credential as its token. A credential may also call
/// <see cref="Path"/> for its own node id, which replaces it with a new one.
/// </summary>
public static class AgentCredentialFormat
{
    public const string Path = "/api/agent-credentials";

    /// <summary>The token an agent connects with: <c>nodeId:secret</c> (node ids never contain ':').</summary>
    public static string Format(string nodeId, string secret) => $"{nodeId}:{secret}";

    /// <summary>Splits a <c>nodeId:secret</c> token; false for anything else (e.g. a shared token).</summary>
    public static bool TryParse(string? token, out string nodeId, out string secret)
    {
        nodeId = secret = "";
        var colon = token?.IndexOf(':') ?? -1;
        if (token is null || colon <= 0 || colon == token.Length - 1) return false;
        nodeId = token[..colon];
        secret = token[(colon + 1)..];
        return RegistrationRules.IsValidNodeId(nodeId);
    }
}

public sealed record AgentCredentialRequest(string NodeId, string Name);

/// <param name="Credential">The token to connect with (<c>nodeId:secret</c>); shown once, never stored by the server.</param>
public sealed record AgentCredentialResponse(string NodeId, string Credential);
