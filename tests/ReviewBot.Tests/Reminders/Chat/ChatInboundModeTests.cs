using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Reminders.Chat;
using ReviewBot.Functions.Reminders.Chat.WeCom;
using ReviewBot.Functions.Reminders.Configuration;

namespace ReviewBot.Tests.Reminders.Chat;

/// <summary>The chat platforms' modes as configured (D6): what <c>acceptUnsignedBody</c>, <c>encodingAESKey</c> and
/// <c>receiveId</c> read as, what is refused at load, what is warned about at start, and WeCom's crypto against vectors
/// computed independently (Python's <c>cryptography</c>, following WeCom's WXBizJsonMsgCrypt).</summary>
public class ChatInboundModeTests
{
    private const string AesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private static ChatInbound Parse(string platforms) => ConfigLoader.Parse($"""
        reminders:
          platforms:
        {platforms}
        """, "reviewbot.yaml", sections: [new RemindersSection()]).Reminders.Inbound;

    [Fact]
    public void Parse_ReadsTheModes_LarkSharesFeishusSetting()
    {
        var inbound = Parse($"""
                dingtalk: {"{"} appSecret: s, acceptUnsignedBody: true {"}"}
                lark: {"{"} verificationToken: t, acceptUnsignedBody: true {"}"}
                wecom: {"{"} token: w, encodingAESKey: {AesKey}, receiveId: wwcorp {"}"}
            """);
        Assert.True(inbound.AcceptsUnsignedBody("dingtalk"));
        Assert.True(inbound.AcceptsUnsignedBody("feishu"));
        Assert.False(inbound.AcceptsUnsignedBody("wecom"));
        Assert.Equal((AesKey, "wwcorp"), (inbound.WeComEncodingAesKey, inbound.WeComReceiveId));
    }

    [Fact]
    public void Parse_RefusesABadEncodingAesKeyAndANonBooleanMode_AtTheirPositions()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("""
                wecom: { token: w, encodingAESKey: tooshort }
                dingtalk: { appSecret: s, acceptUnsignedBody: sometimes }
            """));
        Assert.Equal(["3:40 reminders.platforms.wecom.encodingAESKey", "4:51 reminders.platforms.dingtalk.acceptUnsignedBody"],
            e.Errors.Select(x => $"{x.Line}:{x.Column} {x.Message.Split(':')[0]}"));
    }

    [Fact]
    public void Warnings_NameEveryPlatformWhoseCommandsAreRefusedOrAcceptedUnsigned()
    {
        Assert.Empty(ChatInboundModes.Warnings(Parse($"""
                slack: {"{"} signingSecret: s {"}"}
                feishu: {"{"} encryptKey: k, verificationToken: t {"}"}
                wecom: {"{"} token: w, encodingAESKey: {AesKey} {"}"}
            """)));

        var refused = ChatInboundModes.Warnings(Parse("""
                feishu: { verificationToken: t }
                dingtalk: { appSecret: s }
                wecom: { token: w }
            """));
        Assert.Equal(3, refused.Count);
        Assert.All(refused, w => Assert.Contains("every command will be refused", w));

        var accepted = ChatInboundModes.Warnings(Parse("""
                dingtalk: { appSecret: s, acceptUnsignedBody: true }
            """));
        Assert.Contains("acceptUnsignedBody is true", Assert.Single(accepted));
    }

    [Theory]
    [InlineData("hello, wecom!", "", "0123456789abcdef", "Q3stYC6hdFzMh9T8HCvyDF8O2yitmdaSDr3zCGnqDIiKWC8m+z0SHTb/DVJ/19zkW67tu+Mlkl1ctnmvxDZUCQ==")] // 31 bytes of padding
    [InlineData("""{"from":{"userid":"wALICE"},"msgtype":"text","text":{"content":"ack"}}""", "wwcorp", "fedcba9876543210",
        "DpQeJfnf/MGZ/+GTIspwVNt9fUz/xrc0HufpQSc4Ola9ANu95UA9uVYv5ejGpYOeaxPdoDAfM9epNaohacM9FvALhBuPVq6yp7WkcdBJC+c1+keiwKWxqr91/stQzsC+z3eNLDYxl4YYmSKTyW+P4dGnotKU0Z35v+K2ZgVLDpI=")] // a whole block
    public void WeComCrypto_MatchesAnIndependentImplementation(string message, string receiveId, string random, string expected)
    {
        Assert.Equal(expected, WeComCrypto.Encrypt(message, AesKey, receiveId, System.Text.Encoding.ASCII.GetBytes(random)));
        Assert.Equal(message, WeComCrypto.Decrypt(expected, AesKey, receiveId));
        Assert.Null(WeComCrypto.Decrypt(expected, AesKey, receiveId + "x"));                      // another ReceiveId
        Assert.Null(WeComCrypto.Decrypt(expected, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg", receiveId)); // another key
        Assert.Null(WeComCrypto.Decrypt("not base64!", AesKey, receiveId));
    }

    [Fact]
    public void WeComSignature_IsSha1OfTheSortedTokenTimestampNonceAndMessage() =>
        Assert.Equal("585b5690f4a1bcd02f3113ab216de281a7010653",
            WeComCrypto.Signature("tok", "1700000000", "nonce1", "Q3stYC6hdFzMh9T8HCvyDF/zcJN0+jLTmSu8q6+/ZOY="));
}
