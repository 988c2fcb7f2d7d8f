using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>
/// The JSON Web Token a GitHub App signs to speak as itself (only to mint installation tokens): RS256 over the PEM
/// private key at <see cref="GitHubWebhookOptions.PrivateKeyPath"/> (PKCS#1 "RSA PRIVATE KEY", as GitHub hands it
/// out, or PKCS#8 "PRIVATE KEY"), with <c>iss</c> = App id, <c>iat</c> = now − 60 s against clock drift and
/// <c>exp</c> = now + 9 min, under GitHub's 10-minute ceiling. A fresh JWT is made per use; they are cheap and
/// never cached, so none outlives its purpose. The key is read once, at first use.
/// </summary>
public sealed class AppJwt(IOptions<GitHubWebhookOptions> options, TimeProvider time) : IDisposable
{
    /// <summary>How far back <c>iat</c> is set, as GitHub recommends, so a server clock slightly behind ours accepts it.</summary>
    public static readonly TimeSpan Backdate = TimeSpan.FromSeconds(60);

    /// <summary>How long after now the JWT expires; <c>exp − iat</c> = 10 min, GitHub's limit.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly Lazy<(RSA Rsa, SigningCredentials Credentials)> _key = new(() => Load(options.Value));

    /// <summary>A new signed JWT for <c>Authorization: Bearer</c>.</summary>
    public string Create()
    {
        var appId = options.Value.AppId ?? throw new InvalidOperationException("ReviewBot:GitHub:AppId is not set; the App JWT needs it.");
        var now = time.GetUtcNow();
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = appId.ToString(CultureInfo.InvariantCulture),
            IssuedAt = (now - Backdate).UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            SigningCredentials = _key.Value.Credentials,
        });
    }

    private static (RSA, SigningCredentials) Load(GitHubWebhookOptions o)
    {
        if (!o.HasAppKey)
            throw new InvalidOperationException("ReviewBot:GitHub:PrivateKeyPath (or PrivateKey) is not set; the App JWT needs the App's private key.");
        var source = string.IsNullOrEmpty(o.PrivateKey) ? $"'{o.PrivateKeyPath}'" : "ReviewBot:GitHub:PrivateKey";
        var rsa = RSA.Create();
        try
        {
            // Accepts "RSA PRIVATE KEY" (PKCS#1) and "PRIVATE KEY" (PKCS#8); throws on encrypted keys or several keys.
            rsa.ImportFromPem(string.IsNullOrEmpty(o.PrivateKey) ? File.ReadAllText(o.PrivateKeyPath!) : o.PrivateKey);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            // The message names where the key came from, never its content.
            throw new InvalidOperationException($"{source} holds no usable unencrypted RSA private key in PEM form.", e);
        }
        return (rsa, new SigningCredentials(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256));
    }

    public void Dispose()
    {
        if (_key.IsValueCreated) _key.Value.Rsa.Dispose();
    }
}
