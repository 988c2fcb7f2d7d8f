using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Reminders.Chat.DingTalk;
using ReviewBot.Functions.Reminders.Chat.Feishu;
using ReviewBot.Functions.Reminders.Chat.WeCom;
using ReviewBot.Functions.Reminders.Configuration;

namespace ReviewBot.Functions.Reminders.Chat;

/// <summary>
/// What the configured <c>reminders.platforms</c> mean for chat commands, said at start: a platform whose signature does not
/// cover the message refuses every command (a misconfiguration worth a warning), or accepts them because
/// <c>acceptUnsignedBody</c> says so (weaker, also worth one).
/// </summary>
public static class ChatInboundModes
{
    public static IReadOnlyList<string> Warnings(ChatInbound inbound)
    {
        var warnings = new List<string>();
        if (inbound.DingTalkAppSecret is not null)
        {
            warnings.Add(inbound.AcceptsUnsignedBody(ChatPlatformNames.DingTalk)
                ? "dingtalk: acceptUnsignedBody is true, so commands are accepted although DingTalk signs only their timestamp; each signature is "
                  + "accepted once, but a request intercepted before it reaches ReviewBot could carry another command"
                : $"dingtalk: every command will be refused: {DingTalkInbound.NotCoveredReason}");
        }

        if (inbound.WeComToken is not null && inbound.WeComEncodingAesKey is null)
        {
            warnings.Add(inbound.AcceptsUnsignedBody(ChatPlatformNames.WeCom)
                ? "wecom: plaintext mode with acceptUnsignedBody: commands are accepted although msg_signature does not cover them; configure "
                  + "encodingAESKey (encrypted mode) instead"
                : $"wecom: every command will be refused: {WeComInbound.NotCoveredReason}");
        }

        if (inbound.FeishuEncryptKey is null && inbound.FeishuVerificationToken is not null)
        {
            warnings.Add(inbound.AcceptsUnsignedBody(ChatPlatformNames.Feishu)
                ? "feishu/lark: no Encrypt Key and acceptUnsignedBody: anyone who has seen one event can send any command with the static "
                  + "Verification Token; configure encryptKey instead"
                : $"feishu/lark: every command will be refused: {FeishuInbound.NotCoveredReason}");
        }

        return warnings;
    }
}

/// <summary>Logs <see cref="ChatInboundModes.Warnings"/> once at start.</summary>
public sealed class ChatInboundStartupCheck(ReviewConfig config, ILogger<ChatInboundStartupCheck> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var warning in ChatInboundModes.Warnings(config.Reminders.Inbound)) RemindersLog.ChatInboundMode(log, warning);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
