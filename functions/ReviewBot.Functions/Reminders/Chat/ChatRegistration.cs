using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Hosting.Functions;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Functions.Reminders.Chat.Commands;
using ReviewBot.Functions.Reminders.Chat.DingTalk;
using ReviewBot.Functions.Reminders.Chat.Feishu;
using ReviewBot.Functions.Reminders.Chat.Slack;
using ReviewBot.Functions.Reminders.Chat.WeCom;
using ReviewBot.Functions.Reminders.Configuration;
using ReviewBot.Functions.Reminders.Policy;

namespace ReviewBot.Functions.Reminders.Chat;

public static class ChatRegistration
{
    /// <summary>
    /// Reminders in chat: the file's <c>reminders:</c> section (<see cref="RemindersSection"/>), the platforms (one line each), templates from the configuration, bindings and responses, the
    /// planner's run and its cron timer, and the command handler. The blocking analysis registers <see cref="IBlockingSource"/>;
    /// until it does, runs see no pull requests.
    /// </summary>
    public static WebApplicationBuilder AddChatReminders(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddConfigSection<RemindersSection>();
        services.AddHttpClient(ChatPlatformBase.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton(sp => new NoticeTemplates(sp.GetRequiredService<ReviewConfig>().Reminders.Templates));
        services.AddSingleton<ChatRateLimits>();

        services.AddSingleton<IChatPlatform>(sp => ActivatorUtilities.CreateInstance<FeishuPlatform>(sp, ChatPlatformNames.Feishu));
        services.AddSingleton<IChatPlatform>(sp => ActivatorUtilities.CreateInstance<FeishuPlatform>(sp, ChatPlatformNames.Lark));
        services.AddSingleton<IChatPlatform, DingTalkPlatform>();
        services.AddSingleton<IChatPlatform, SlackPlatform>();
        services.AddSingleton<IChatPlatform, WeComPlatform>();
        services.AddSingleton<ChatPlatforms>();

        services.AddSingleton<BindingStore>();
        services.AddSingleton<BindingCodes>();
        services.AddSingleton<BindingProofs>();
        services.AddSingleton<ChatReplayStore>();
        services.AddHostedService<ChatInboundStartupCheck>();
        // Rows of replays whose window has closed, and codes nobody confirmed, mean nothing: deleted hourly.
        services.AddTimerFunction("chat-purge", "0 17 * * * *", async (sp, ct) =>
        {
            var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
            await sp.GetRequiredService<ChatReplayStore>().PurgeAsync(now, ct);
            await sp.GetRequiredService<BindingCodes>().PurgeAsync(now, ct);
        }, localInterval: TimeSpan.FromHours(1));
        services.AddSingleton<ResponseStore>();
        services.AddSingleton<ChatUsers>();
        services.AddSingleton<ReminderRun>();
        services.AddSingleton<ChatCommandHandler>();
        services.AddInProcessLoop<ReminderTimer>();
        // The host fires every minute; a run happens when the configured schedule (in its own time zone) fell in that minute.
        services.AddTimerFunction("reminders", "0 * * * * *", (sp, ct) => sp.GetRequiredService<ReminderTimer>().RunIfDueAsync(ct));
        return builder;
    }
}
