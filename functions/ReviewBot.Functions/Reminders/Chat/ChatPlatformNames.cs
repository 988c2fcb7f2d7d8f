namespace ReviewBot.Functions.Reminders.Chat;

/// <summary>The platform names the configuration and the chat endpoint accept.</summary>
public static class ChatPlatformNames
{
    public const string Feishu = "feishu";
    public const string Lark = "lark";
    public const string DingTalk = "dingtalk";
    public const string Slack = "slack";
    public const string WeCom = "wecom";

    public static readonly string[] All = [Feishu, Lark, DingTalk, Slack, WeCom];
}
