using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>GitHub Apps: <c>POST /app/installations/{id}/access_tokens</c>, validating the App JWT like GitHub.</summary>
public sealed partial class FakeGitHubServer
{
    private static readonly JsonWebTokenHandler JwtHandler = new();
    private int _tokensIssued;
    private readonly Dictionary<long, int> _tokenRequests = [];

    /// <summary>The App's id (the JWT's <c>iss</c>).</summary>
    public long AppId { get; set; } = 4242;

    /// <summary>The App's key pair; write <see cref="PrivateKeyPem"/> to a file for the client, the fake keeps the public half.</summary>
    public RSA AppKey { get; } = RSA.Create(2048);

    /// <summary>PKCS#1 PEM ("RSA PRIVATE KEY"), the form GitHub hands out.</summary>
    public string PrivateKeyPem => AppKey.ExportRSAPrivateKeyPem();

    /// <summary>PKCS#8 PEM ("PRIVATE KEY").</summary>
    public string PrivateKeyPkcs8Pem => AppKey.ExportPkcs8PrivateKeyPem();

    /// <summary>How long issued tokens live (GitHub: one hour).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Makes the n-th token (1-based) of an installation; default <c>ghs_…</c> of 40 characters.</summary>
    public Func<long, int, string> TokenFactory { get; set; } = (id, n) => $"ghs_{id}x{n}".PadRight(40, 'a');

    /// <summary>Every token issued, valid until its expiry on <see cref="Time"/>; later fakes can check request tokens against it.</summary>
    public Dictionary<string, (long InstallationId, DateTimeOffset ExpiresAt)> IssuedTokens { get; } = [];

    /// <summary>When set, token requests are held until it completes, so that a test can have callers overlap.</summary>
    public Task? TokenGate { get; set; }

    /// <summary>Token requests that reached the endpoint for this installation, valid or not.</summary>
    public int TokenRequests(long installationId)
    {
        lock (_tokenRequests) return _tokenRequests.GetValueOrDefault(installationId);
    }

    private void MapApps(RouteGroupBuilder api) =>
        api.MapPost("/app/installations/{id:long}/access_tokens", async (long id, HttpRequest request) =>
        {
            lock (_tokenRequests) _tokenRequests[id] = _tokenRequests.GetValueOrDefault(id) + 1;
            if (TokenGate is { } gate) await gate.WaitAsync(TimeSpan.FromSeconds(30));
            if (await ValidateAppJwtAsync(request.Headers.Authorization.ToString()) is { } problem)
                return Error(StatusCodes.Status401Unauthorized, problem);
            var token = TokenFactory(id, Interlocked.Increment(ref _tokensIssued));
            var expiresAt = Time.GetUtcNow() + TokenLifetime;
            lock (IssuedTokens) IssuedTokens[token] = (id, expiresAt);
            return Results.Json(new
            {
                token,
                expires_at = expiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                permissions = new { checks = "write", pull_requests = "write", contents = "read" },
                repository_selection = "all",
            }, statusCode: StatusCodes.Status201Created);
        });

    /// <summary>Null when the header carries a JWT GitHub would accept, else GitHub-like reason.</summary>
    private async Task<string?> ValidateAppJwtAsync(string authorization)
    {
        const string bearer = "Bearer ";
        if (!authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
            return "A JSON web token could not be decoded";
        var result = await JwtHandler.ValidateTokenAsync(authorization[bearer.Length..], new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(AppKey.ExportParameters(includePrivateParameters: false)),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidIssuer = AppId.ToString(CultureInfo.InvariantCulture),
            ValidateAudience = false,
            ValidateLifetime = false, // checked below against the fake's own clock
            RequireExpirationTime = true,
        });
        if (!result.IsValid) return $"A JSON web token could not be decoded ({result.Exception?.GetType().Name})";
        var jwt = (JsonWebToken)result.SecurityToken;
        if (!jwt.TryGetPayloadValue<long>("iat", out var iat) || !jwt.TryGetPayloadValue<long>("exp", out var exp))
            return "'Issued at' or 'Expiration time' claim missing";
        var now = Time.GetUtcNow().ToUnixTimeSeconds();
        if (exp - iat > 600) return "'Expiration time' claim ('exp') is too far in the future";
        if (iat > now + 60) return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
        if (exp <= now) return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
        return null;
    }
}
