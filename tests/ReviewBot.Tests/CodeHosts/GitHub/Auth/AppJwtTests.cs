using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReviewBot.Tests.CodeHosts.GitHub.Auth;

public class AppJwtTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Jwt_IsRs256WithIssIatAndExpWithinTenMinutes(bool pkcs8)
    {
        await using var h = await AuthHarness.AppAsync(pkcs8: pkcs8);

        var jwt = h.Jwt.Create();

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(h.GitHub.AppKey.ExportParameters(false)),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidIssuer = h.GitHub.AppId.ToString(CultureInfo.InvariantCulture),
            ValidateAudience = false,
            ValidateLifetime = false,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("RS256", token.Alg);
        var now = h.Time.GetUtcNow().ToUnixTimeSeconds();
        Assert.Equal(now - 60, token.GetPayloadValue<long>("iat"));
        Assert.Equal(now + 540, token.GetPayloadValue<long>("exp"));
        Assert.False(token.TryGetPayloadValue<long>("nbf", out _));
    }

    [Fact]
    public async Task Jwt_SignedWithAnotherKey_IsRefusedByTheFake()
    {
        await using var h = await AuthHarness.AppAsync();
        using var other = System.Security.Cryptography.RSA.Create(2048);
        var forged = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = h.GitHub.AppId.ToString(CultureInfo.InvariantCulture),
            IssuedAt = h.Time.GetUtcNow().UtcDateTime.AddSeconds(-60),
            Expires = h.Time.GetUtcNow().UtcDateTime.AddMinutes(9),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(other), SecurityAlgorithms.RsaSha256),
        });
        using var http = new HttpClient { BaseAddress = h.GitHub.ApiUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "app/installations/1/access_tokens");
        request.Headers.Authorization = new("Bearer", forged);
        request.Headers.UserAgent.ParseAdd("test");

        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
