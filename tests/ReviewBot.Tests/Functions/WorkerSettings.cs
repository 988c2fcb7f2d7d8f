using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Functions;

/// <summary>The app settings a test worker gets (as environment variables, like a function app's settings).</summary>
public static class WorkerSettings
{
    public static Dictionary<string, string> For(AzuriteFixture azurite, string configPath) => new()
    {
        ["ReviewBot__Storage__ConnectionString"] = azurite.ConnectionString,
        ["ReviewBot__Storage__Prefix"] = AzuriteFixture.NewPrefix(),
        ["ReviewBot__ConfigPath"] = configPath,
        ["ReviewBot__GitHub__WebhookSecret"] = TestApp.WebhookSecret,
        ["ReviewBot__Agents__Tokens__0"] = TestApp.AgentToken,
        ["ReviewBot__Api__Keys__0"] = $"admin:{TestApp.AdminKey}",
        ["ReviewBot__Agents__CacheWarmup"] = "00:00:00",
        ["Logging__LogLevel__Default"] = "Warning",
        // The timer functions' own lines (TimerDispatch), which the worker sends to the host as the invocation's log.
        ["Logging__LogLevel__ReviewBot.Timers"] = "Information",
    };
}
