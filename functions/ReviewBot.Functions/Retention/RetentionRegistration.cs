using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Hosting.Functions;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Retention;

public static class RetentionRegistration
{
    public static WebApplicationBuilder AddRetention(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ITaskRetention>(sp => sp.GetRequiredService<TaskStore>());
        builder.Services.AddSingleton<RetentionStateStore>();
        builder.Services.AddSingleton<AgentPruning>();
        builder.Services.AddSingleton<RetentionService>();
        // Self-hosted: every Interval (read here: the loop's period is fixed at registration; validated at start with the
        // rest). Under the Functions host: hourly at minute 41.
        var interval = builder.Configuration.GetSection(RetentionOptions.Section).Get<RetentionOptions>()?.Interval is { } i && i > TimeSpan.Zero
            ? i : new RetentionOptions().Interval;
        builder.Services.AddTimerFunction("retention", "0 41 * * * *", async (sp, invocation, ct) =>
        {
            var report = await sp.GetRequiredService<RetentionService>().RunAsync(ct);
            invocation.Log(report.Ran
                ? $"retention deleted {report.Tasks} tasks, {report.Deliveries} delivery rows, {report.Responses} reminder responses, {report.Nodes} nodes, {report.Rollups} hourly rollups"
                : "retention is running on another instance");
        }, localInterval: interval);
        return builder;
    }
}
