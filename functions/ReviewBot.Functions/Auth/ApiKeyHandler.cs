using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using static ReviewBot.Functions.Hosting.Http.Problems;

namespace ReviewBot.Functions.Auth;

/// <summary>
/// Authenticates people and scripts by <c>Authorization: Bearer &lt;key&gt;</c> against <see cref="ApiOptions.Keys"/>
/// (constant time, every key compared). The <c>access_token</c> query value is read only on the dashboard hub's path,
/// where browsers' WebSockets cannot send headers. Challenges and refusals are problem+json.
/// </summary>
public sealed partial class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory logger, UrlEncoder encoder, IOptions<ApiOptions> api)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private readonly IReadOnlyList<(ApiRole Role, byte[] Hash)> _keys =
        [.. api.Value.Parsed().Select(k => (k.Role, SHA256.HashData(Encoding.UTF8.GetBytes(k.Key))))];

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!ApiAccess.ReadsKey(Request.Path)) return Task.FromResult(AuthenticateResult.NoResult());
        var key = KeyOf(Request);
        if (key is null)
        {
            if (api.Value.AppServicePrincipalRole is { } r && ApiRoles.TryParse(r, out var granted)
                && Request.Headers["X-MS-CLIENT-PRINCIPAL-ID"].FirstOrDefault() is { Length: > 0 } id)
            {
                var name = Request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"].FirstOrDefault() is { Length: > 0 } n ? n : id;
                return Task.FromResult(Success($"appservice:{name}", granted));
            }
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var role = Match(key);
        if (role is null)
        {
            LogRejected(Logger, Request.Path);
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }
        return Task.FromResult(Success($"{role.Value.Name()}-key", role.Value));
    }

    private AuthenticateResult Success(string name, ApiRole role)
    {
        var identity = new ClaimsIdentity([new(ClaimTypes.Name, name), new(ClaimTypes.Role, role.Name())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>The role of the key, or null; compares against every key whatever matches first.</summary>
    private ApiRole? Match(string key)
    {
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        ApiRole? found = null;
        foreach (var (role, hash) in _keys)
            if (CryptographicOperations.FixedTimeEquals(given, hash) && found is not ApiRole.Admin) found = role;
        return found;
    }

    public static string? KeyOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        return request.Path.StartsWithSegments(ApiAccess.DashboardHubPath) ? request.Query["access_token"].FirstOrDefault() : null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = _keys.Count == 0
            ? "This server has no API keys configured. Set ReviewBot__Api__Keys__0 to \"admin:<key of 16+ characters>\" (or \"read:<key>\") and send it as 'Authorization: Bearer <key>'."
            : KeyOf(Request) is null
                ? "Send an API key as 'Authorization: Bearer <key>' (one of ReviewBot:Api:Keys)."
                : "The API key is not valid.";
        await Problem(401, "API key missing or not valid", detail).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Problem(403, "Not allowed with this key", $"{Request.Method} {Request.Path} changes something and needs an admin key; this key is read-only.")
            .ExecuteAsync(Context);

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "API request to {Path} with a key that is not configured")]
    private static partial void LogRejected(ILogger logger, PathString path);
}
