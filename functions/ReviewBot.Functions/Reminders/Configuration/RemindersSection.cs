using ReviewBot.Functions.Configuration;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Reminders.Configuration;

/// <summary>The configuration file's <c>reminders:</c> section, read by Reminders (<see cref="RemindersReader"/>).</summary>
internal sealed class RemindersSection : ConfigSection<RemindersConfig>
{
    public override string Name => "reminders";

    public override RemindersConfig Read(YamlNode node, ConfigSectionContext context) => new RemindersReader(context).Read(node);
}

public static class RemindersConfigAccess
{
    extension(ReviewConfig config)
    {
        /// <summary>The <c>reminders:</c> section; <see cref="RemindersConfig.None"/> when the file has none.</summary>
        public RemindersConfig Reminders => config.Section<RemindersConfig>() ?? RemindersConfig.None;
    }
}
