using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ReviewBot.Functions.Tasks.Backplane;

public static class BackplaneRegistration
{
    /// <summary>With <c>ReviewBot:SignalR:Redis</c> set: the SignalR Redis backplane (channels prefixed with the storage
    /// prefix, so several ReviewBots can share one Redis) and <see cref="TaskQueueBroadcast"/>. Nothing otherwise.</summary>
    public static WebApplicationBuilder AddBackplane(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BackplaneOptions>().BindConfiguration(BackplaneOptions.Section)
            .Validate(o => o.QueueScanInterval > TimeSpan.Zero, "ReviewBot:SignalR:QueueScanInterval must be positive.").ValidateOnStart();
        var redis = builder.Configuration[$"{BackplaneOptions.Section}:{nameof(BackplaneOptions.Redis)}"];
        if (string.IsNullOrWhiteSpace(redis)) return builder;
        builder.Services.AddSignalR().AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = RedisChannel.Literal(ChannelPrefix(builder.Configuration)));
        builder.Services.AddSingleton<TaskQueueBroadcast>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TaskQueueBroadcast>());
        return builder;
    }

    internal static string ChannelPrefix(IConfiguration c) => "reviewbot:" + (c["ReviewBot:Storage:Prefix"] ?? "reviewbot");

    internal static string ChannelPrefix(IServiceProvider sp) => ChannelPrefix(sp.GetRequiredService<IConfiguration>());

    internal static BackplaneOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<BackplaneOptions>>().Value;
}
