using System.Text;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

namespace ReviewBot.Tests.CodeHosts.GitHub.Webhooks;

public class WebhookSignatureTests
{
    private const string Secret = "It's a Secret to Everybody";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");

    [Fact]
    public void Compute_MatchesGitHubsDocumentedTestVector() =>
        Assert.Equal("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", WebhookSignature.Compute(Secret, Body));

    [Fact]
    public void IsValid_AcceptsTheDocumentedSignature() =>
        Assert.True(WebhookSignature.IsValid(Secret, Body, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18")]
    [InlineData("sha256=757107ea")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void IsValid_RefusesMissingMalformedOrWrongSignatures(string? header) =>
        Assert.False(WebhookSignature.IsValid(Secret, Body, header));

    [Fact]
    public void IsValid_RefusesTheRightSignatureForAnotherBody() =>
        Assert.False(WebhookSignature.IsValid(Secret, Encoding.UTF8.GetBytes("Hello, World"), WebhookSignature.Compute(Secret, Body)));
}
