using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReviewBot.Functions.Agents.Serverless;

/// <summary>
/// HS256 tokens for Azure SignalR Service, keyed with the UTF-8 bytes of the access key: client tokens (audience
/// the client URL, user id in <c>asrs.s.uid</c> and <c>nameid</c>) and REST tokens (audience the request URL
/// without its query, as docs/rest-api.md specifies).
/// </summary>
public sealed class ServiceTokens(IOptions<SignalRServiceOptions> options, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public ServiceEndpoint Endpoint { get; } = Parse(options.Value.ConnectionString);

    /// <summary>Every configured endpoint's key (primary, then secondary): upstream signatures may use any.</summary>
    public IReadOnlyList<string> AccessKeys { get; } =
        new[] { options.Value.ConnectionString, options.Value.SecondaryConnectionString }
            .Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => Parse(c).AccessKey).ToList();

    public string ForClient(string userId) =>
        Create(Endpoint.ClientAudience(options.Value.Hub), options.Value.ClientTokenLifetime, userId);

    public string ForRest(Uri requestUrl) =>
        Create(requestUrl.GetLeftPart(UriPartial.Path).TrimEnd('/'), TimeSpan.FromMinutes(5), null);

    private string Create(string audience, TimeSpan lifetime, string? userId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>();
        if (userId is not null)
        {
            claims["asrs.s.uid"] = userId;
            claims["nameid"] = userId;
        }
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Endpoint.AccessKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    private static ServiceEndpoint Parse(string? connectionString) =>
        ServiceEndpoint.TryParse(connectionString ?? "", out var e, out var problem) ? e : throw new InvalidOperationException(problem);
}
