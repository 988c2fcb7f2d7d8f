using ReviewBot.Functions.Auth;

namespace ReviewBot.Tests.Auth;

public sealed class ApiKeyTests
{
    [Theory]
    [InlineData("admin:0123456789abcdef", ApiRole.Admin, "0123456789abcdef")]
    [InlineData("read:0123456789abcdef:with-colons", ApiRole.Read, "0123456789abcdef:with-colons")]
    [InlineData("Admin:0123456789abcdef", ApiRole.Admin, "0123456789abcdef")]
    public void TryParse_RoleAndKey(string text, ApiRole role, string key)
    {
        Assert.True(ApiKey.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(role, parsed.Role);
        Assert.Equal(key, parsed.Key);
        Assert.DoesNotContain(key, parsed.ToString());
    }

    [Theory]
    [InlineData("0123456789abcdef", "expected")]
    [InlineData("owner:0123456789abcdef", "role 'owner'")]
    [InlineData("admin:short", "at least 16")]
    [InlineData("read: 0123456789abcdef", "no surrounding spaces")]
    public void TryParse_RefusesWithAReason(string text, string reason)
    {
        Assert.False(ApiKey.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("/api/tasks", true)]
    [InlineData("/api/dashboard/hub/negotiate", true)]
    [InlineData("/api/github/webhook", false)]
    [InlineData("/api/gitlab/webhook", false)]
    [InlineData("/api/agents/hub", false)]
    [InlineData("/api/health", false)]
    [InlineData("/", false)]
    [InlineData("/js/app.js", false)]
    public void NeedsKey_AllOfApiButWhatAuthenticatesItself(string path, bool needed) =>
        Assert.Equal(needed, ApiAccess.NeedsKey(path));
}
