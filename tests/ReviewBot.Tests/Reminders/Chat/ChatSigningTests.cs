using System.Text;
using ReviewBot.Functions.Reminders.Chat.DingTalk;
using ReviewBot.Functions.Reminders.Chat.Feishu;
using ReviewBot.Functions.Reminders.Chat.Slack;
using ReviewBot.Functions.Reminders.Chat.WeCom;

namespace ReviewBot.Tests.Reminders.Chat;

public class ChatSigningTests
{
    // Slack's worked example from "Verifying requests from Slack".
    private const string SlackSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string SlackTimestamp = "1531420618";
    private const string SlackBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string SlackExpected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    [Fact]
    public void FeishuSign_MatchesThePublishedVector() =>
        Assert.Equal("jquNHnVOwmDRfw+vqTIrY5dooJAgi5EcRtLsQE4wfXg=", FeishuSignature.Sign(100, "demo"));

    [Fact]
    public void DingTalkSign_MatchesTheVectorUrlEncoded()
    {
        Assert.Equal("aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g=", DingTalkSignature.Base64(1700000000000, "SECtest"));
        Assert.Equal("aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g%3D", DingTalkSignature.Sign(1700000000000, "SECtest"));
    }

    [Fact]
    public void SlackSignature_MatchesSlacksDocumentedExample() =>
        Assert.Equal(SlackExpected, SlackSignature.Compute(SlackSecret, SlackTimestamp, Encoding.UTF8.GetBytes(SlackBody)));

    [Fact]
    public void SlackSignature_IsValidOnlyWithinFiveMinutesAndForTheSameBody()
    {
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(1531420618);
        var body = Encoding.UTF8.GetBytes(SlackBody);
        Assert.True(SlackSignature.IsValid(SlackSecret, SlackTimestamp, SlackExpected, body, signedAt.AddMinutes(5)));
        Assert.False(SlackSignature.IsValid(SlackSecret, SlackTimestamp, SlackExpected, body, signedAt.AddMinutes(5).AddSeconds(1)));
        Assert.False(SlackSignature.IsValid(SlackSecret, SlackTimestamp, SlackExpected, Encoding.UTF8.GetBytes(SlackBody + "x"), signedAt));
        Assert.False(SlackSignature.IsValid("bogus", SlackTimestamp, SlackExpected, body, signedAt));
        Assert.False(SlackSignature.IsValid(SlackSecret, null, SlackExpected, body, signedAt));
    }

    [Fact]
    public void DingTalkOutgoingRequest_IsValidOnlyWithinAnHour()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1700000000000);
        var sign = DingTalkSignature.Base64(1700000000000, "SECtest");
        Assert.True(DingTalkSignature.IsValidRequest("1700000000000", sign, "SECtest", at.AddMinutes(59)));
        Assert.False(DingTalkSignature.IsValidRequest("1700000000000", sign, "SECtest", at.AddMinutes(61)));
        Assert.False(DingTalkSignature.IsValidRequest("1700000000000", sign, "SECother", at));
    }

    [Fact]
    public void FeishuEvent_SignatureIsSha256OfTimestampNonceKeyAndBody_AndBodiesDecrypt()
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":1}");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("1700000000nonce1key{\"a\":1}")));
        Assert.Equal(expected, FeishuSignature.EventSignature("1700000000", "nonce1", "key", body));
        Assert.True(FeishuSignature.IsValidEvent("1700000000", "nonce1", expected.ToUpperInvariant(), "key", body));
        Assert.False(FeishuSignature.IsValidEvent("1700000001", "nonce1", expected, "key", body));

        var encrypted = FeishuSignature.Encrypt("{\"challenge\":\"x\"}", "key", new byte[16]);
        Assert.Equal("{\"challenge\":\"x\"}", FeishuSignature.Decrypt(encrypted, "key"));
        Assert.Null(FeishuSignature.Decrypt(encrypted, "other key"));
    }

    [Fact]
    public void WeComSignature_IsSha1OfTheSortedTokenTimestampAndNonce()
    {
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes("1700000000abcnoncetoken")));
        Assert.Equal(expected, WeComInbound.Signature("token", "1700000000", "abcnonce"));
    }
}
