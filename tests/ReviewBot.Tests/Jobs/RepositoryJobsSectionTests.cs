using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Jobs;

namespace ReviewBot.Tests.Jobs;

/// <summary>Jobs in a repository's .reviewbot.yml: the server's job schema and validation, under its policy.</summary>
public sealed class RepositoryJobsSectionTests
{
    private static readonly ReviewConfig Server = ConfigLoader.Parse("""
        linters:
          lint: { command: ["true"] }
        repos:
          acme:
            allowRepoCommands: true
            nodeLabels: linux
        """, "reviewbot.yaml");

    private static RepositoryConfig Parse(string yaml, string repository = "acme/app") =>
        RepositoryConfig.Parse(Server, repository, yaml, [new RepositoryJobsSection()]);

    [Fact]
    public void WhereThePolicyAllowsCommands_AJobIsBoundToTheRepository_AndItsLabelsOnlyNarrow()
    {
        var config = Parse("""
            jobs:
              deploy:
                trigger: { prMerged: { target: "^main$" } }
                nodeLabels: big
                steps: ["make deploy"]
            """);

        Assert.True(config.Applies, string.Join("\n", config.Errors));
        var job = Assert.Single(config.Jobs);
        Assert.Equal(("deploy", "acme/app", JobTriggerKind.PrMerged, "^main$"), (job.Name, job.Repository, job.Trigger.Kind, job.Trigger.TargetBranch));
        Assert.Equal("(linux) && (big)", job.NodeLabels);
        Assert.Equal("make deploy", Assert.Single(job.Steps).Run);
    }

    [Theory]
    [InlineData("other/app", "jobs:\n  deploy: { trigger: prMerged, steps: [make] }\n",
        ".reviewbot.yml:2:3: jobs.deploy: a job runs commands (its steps) on the agents; a repository's file may define jobs only where the server's policy says allowRepoCommands: true")]
    [InlineData("acme/app", "jobs:\n  nightly: { trigger: { cron: \"0 0 2 * * *\" }, steps: [make] }\n",
        ".reviewbot.yml:2:14: jobs.nightly.trigger: a repository's job is started by an event of the repository")]
    [InlineData("acme/app", "jobs:\n  deploy: { trigger: prMerged, repository: acme/other, steps: [make] }\n",
        ".reviewbot.yml:2:44: jobs.deploy.repository: a repository's job runs on that repository (acme/app) only")]
    [InlineData("acme/app", "jobs:\n  deploy: { trigger: prMerged, secrets: { T: x }, steps: [make] }\n",
        "jobs.deploy.secrets: secrets are the server's")]
    [InlineData("acme/app", "jobs:\n  deploy: { trigger: prMerged, steps: [] }\n", "jobs.deploy.steps:")]
    public void Refusals_NameFileLineAndColumn_AndTheFileIsRefused(string repository, string yaml, string error)
    {
        var config = Parse(yaml, repository);

        Assert.False(config.Applies);
        Assert.Contains(config.Errors, e => e.ToString().StartsWith(error, StringComparison.Ordinal) || e.ToString().Contains(error, StringComparison.Ordinal));
        Assert.Empty(config.Jobs);
        Assert.Equal(["lint"], config.Linters.Select(l => l.Name)); // the server's configuration applies
    }
}
