using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Reminders.Configuration;

namespace ReviewBot.Tests.Configuration;

/// <summary>The capabilities' sections as the app registers them, in its order (ConfigurationRegistrationTests checks it
/// against Program), for tests that read a whole file the way the app does.</summary>
internal static class AppConfigSections
{
    public static IReadOnlyList<IConfigSection> All { get; } = [new JobsSection(), new RemindersSection()];
}
