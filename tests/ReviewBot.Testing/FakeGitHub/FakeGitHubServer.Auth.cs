using Microsoft.AspNetCore.Http;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// Credentials for the repository endpoints later fakes add: a request is authorised by a configured
/// <see cref="PersonalAccessToken"/> or by an installation token the fake issued and that has not expired on
/// <see cref="Time"/>, under either scheme GitHub accepts (<c>token</c> or <c>Bearer</c>).
/// </summary>
public sealed partial class FakeGitHubServer
{
    /// <summary>A token accepted as-is (token mode), or null.</summary>
    public string? PersonalAccessToken { get; set; }

    /// <summary>Revokes an issued installation token (as an admin suspending the installation would): later requests
    /// with it get 401.</summary>
    public void RevokeToken(string token)
    {
        lock (IssuedTokens) IssuedTokens.Remove(token);
    }

    /// <summary>Null when the request may proceed, else GitHub's 401 answer.</summary>
    public IResult? Unauthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var space = header.IndexOf(' ');
        var scheme = space > 0 ? header[..space] : "";
        var token = space > 0 ? header[(space + 1)..] : "";
        if (!scheme.Equals("token", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return Error(StatusCodes.Status401Unauthorized, "Requires authentication");
        if (PersonalAccessToken is not null && token == PersonalAccessToken) return null;
        lock (IssuedTokens)
        {
            if (IssuedTokens.TryGetValue(token, out var issued) && issued.ExpiresAt > Time.GetUtcNow()) return null;
        }
        return Error(StatusCodes.Status401Unauthorized, "Bad credentials");
    }
}
