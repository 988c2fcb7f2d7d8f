using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Configuration;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Jobs;

/// <summary>The valid jobs of the configuration file's <c>jobs:</c> section, in name order (the API may override them:
/// see <see cref="JobCatalog"/>).</summary>
public sealed record ConfiguredJobs(IReadOnlyList<JobDefinition> All);

/// <summary>
/// The configuration file's <c>jobs:</c> section, read by Jobs: each entry with <see cref="JobReader"/> (the shape the API
/// takes too), its repository checked against the file's <c>repos:</c>, its secrets from the load's environment.
/// </summary>
internal sealed class JobsSection : ConfigSection<ConfiguredJobs>
{
    public override string Name => "jobs";

    public override ConfiguredJobs Read(YamlNode node, ConfigSectionContext context) => new Reader(context).Read(node);

    private sealed class Reader(ConfigSectionContext context) : YamlReader(context.Errors)
    {
        public ConfiguredJobs Read(YamlNode node)
        {
            var validation = new JobValidationContext(context.Scopes);
            var jobs = new List<JobDefinition>();
            foreach (var (name, keyNode, value) in Entries(node, "jobs", "job names"))
            {
                var reader = new JobReader((at, field, message) => Report(at, field.Length == 0 ? $"jobs.{name}" : $"jobs.{name}.{field}", message), context.Environment);
                if (reader.Read(name, keyNode, value, validation, JobOrigin.Config) is { } job)
                {
                    jobs.Add(job);
                }
            }

            return new ConfiguredJobs([.. jobs.OrderBy(j => j.Name, StringComparer.Ordinal)]);
        }
    }
}

public static class ConfiguredJobsAccess
{
    extension(ReviewConfig config)
    {
        /// <summary>The jobs of the file's <c>jobs:</c> section, valid, in name order; none when the file has no such section.</summary>
        public IReadOnlyList<JobDefinition> Jobs => config.Section<ConfiguredJobs>()?.All ?? [];
    }
}
