using ReviewBot.Core.Jobs;
using ReviewBot.Core.Labels;
using ReviewBot.Functions.Configuration;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Jobs;

/// <summary>The valid jobs of a repository's own file, in name order, each bound to that repository.</summary>
public sealed record RepositoryJobList(IReadOnlyList<JobDefinition> All);

/// <summary>
/// The <c>jobs:</c> section of a repository's <see cref="RepositoryConfig.FileName"/>: each entry with <see cref="JobReader"/>
/// and <see cref="JobValidator"/> (one shape with the server's jobs), under the server's policy: a job runs commands (its
/// steps), so the file may define one only where the server says <c>allowRepoCommands: true</c>; it runs on the
/// repository itself (<c>repository</c> may only name it; <c>cloneUrl</c> and <c>secrets</c> are the server's); its
/// <c>nodeLabels</c> are ANDed with the org's and repository's, so they only narrow; and it is started by an event of
/// the repository (<c>prMerged</c>, <c>tagCreated</c>, <c>push</c>): cron, poll and manual jobs stay in the server's file and
/// the API. Refusals carry the file's line and column, like the linters'.
/// </summary>
internal sealed class RepositoryJobsSection : IRepositorySection
{
    private static readonly JobTriggerKind[] EventKinds = [JobTriggerKind.PrMerged, JobTriggerKind.TagCreated, JobTriggerKind.Push];

    public string Name => "jobs";

    public Type ValueType => typeof(RepositoryJobList);

    public object Read(YamlNode node, RepositorySectionContext context) => new Reader(context).Read(node);

    private sealed class Reader(RepositorySectionContext context) : YamlReader(context.Errors)
    {
        public RepositoryJobList Read(YamlNode node)
        {
            var jobs = new List<JobDefinition>();
            foreach (var (name, keyNode, value) in Entries(node, "jobs", "job names"))
            {
                var path = $"jobs.{name}";
                if (!context.AllowCommands)
                {
                    Report(keyNode, path, "a job runs commands (its steps) on the agents; a repository's file may define jobs only where the server's policy says allowRepoCommands: true");
                    continue;
                }

                if (Bound(value, path) is not { } body) continue;
                var failed = false;
                var reader = new JobReader((at, field, message) => { failed = true; Report(at, field.Length == 0 ? path : $"{path}.{field}", message); }, environment: null);
                if (reader.Read(name, keyNode, body, JobValidationContext.Open, JobOrigin.Config) is not { } job || failed) continue;
                if (!EventKinds.Contains(job.Trigger.Kind))
                {
                    Report(((YamlMappingNode)body).Children.FirstOrDefault(c => (c.Key as YamlScalarNode)?.Value == "trigger").Key ?? keyNode, $"{path}.trigger",
                        "a repository's job is started by an event of the repository (prMerged, tagCreated or push); cron, poll and manual jobs are defined in the server's file or through the API");
                    continue;
                }

                jobs.Add(job with { NodeLabels = LabelFilter.AndText(context.NodeLabels, job.NodeLabels) });
            }

            return new RepositoryJobList([.. jobs.OrderBy(j => j.Name, StringComparer.Ordinal)]);
        }

        /// <summary>The job's body with <c>repository</c> set to the file's repository, or null when it names another, a
        /// clone URL or secrets (reported).</summary>
        private YamlMappingNode? Bound(YamlNode value, string path)
        {
            if (value is not YamlMappingNode mapping) return Report<YamlMappingNode>(value, path, $"expected a mapping of job settings, found {Describe(value)}");
            var ok = true;
            foreach (var (key, item) in mapping.Children)
            {
                switch ((key as YamlScalarNode)?.Value)
                {
                    case "repository" when item is not YamlScalarNode { Value: { } named } || !named.Trim().Equals(context.Repository, StringComparison.OrdinalIgnoreCase):
                        ok = Report<bool>(item, $"{path}.repository", $"a repository's job runs on that repository ({context.Repository}) only");
                        break;
                    case "cloneUrl":
                        ok = Report<bool>(key, $"{path}.cloneUrl", "a repository's job runs on that repository only; where it clones from is the server's decision");
                        break;
                    case "secrets":
                        ok = Report<bool>(key, $"{path}.secrets", "secrets are the server's; a repository's job cannot name them");
                        break;
                }
            }

            if (!ok) return null;
            var bound = new YamlMappingNode(mapping.Children.Where(c => (c.Key as YamlScalarNode)?.Value != "repository"));
            bound.Add("repository", context.Repository);
            return bound;
        }
    }
}

public static class RepositoryJobsAccess
{
    extension(RepositoryConfig config)
    {
        /// <summary>The jobs of the repository file's <c>jobs:</c> section, valid, in name order; none when it has none or is refused.</summary>
        public IReadOnlyList<JobDefinition> Jobs => config.Section<RepositoryJobList>()?.All ?? [];
    }
}
