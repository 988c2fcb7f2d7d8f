using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Jobs;

namespace ReviewBot.Tests.Jobs;

// The jobs: section: read into JobDefinitions, every error at its file:line:column with the job and field named.
public class JobsSectionTests
{
    private static readonly Dictionary<string, string> Environment = new() { ["NIGHTLY_TOKEN"] = "s3cret" };

    private static ReviewConfig Parse(string yaml) => ConfigLoader.Parse(yaml, "config.yaml", Environment.GetValueOrDefault, [new JobsSection()]);

    private static IReadOnlyList<ConfigError> Errors(string yaml) =>
        Assert.Throws<ConfigException>(() => Parse(yaml)).Errors;

    private static void AssertAt(ConfigError error, int line, int column, string messageStart)
    {
        Assert.Equal(("config.yaml", line, column), (error.File, error.Line, error.Column));
        Assert.StartsWith(messageStart, error.Message);
    }

    [Fact]
    public void AFullJobIsRead()
    {
        var config = Parse("""
            jobs:
              nightly:
                trigger: { cron: "0 0 2 * * *", timeZone: "Europe/Berlin" }
                repository: acme/app
                cloneUrl: https://github.com/acme/app.git
                ref: develop
                nodeLabels: "linux && docker"
                steps: [ { name: build, run: "make" }, "make test" ]
                variables: { CONFIGURATION: Release }
                secrets: { TOKEN: "${env:NIGHTLY_TOKEN}" }
                timeout: 45m
                retries: 2
                concurrency: forbid
                misfire: skip
                enabled: false
              on-merge:
                trigger: { prMerged: { source: "^feature/", target: "^main$" } }
                repository: acme/app
                steps: ["./deploy.sh"]
              release:
                trigger: { tagCreated: "v*" }
                repository: acme/app
                steps: ["./release.sh"]
              poller:
                trigger: { poll: main }
                repository: acme/app
                steps: ["true"]
              by-hand:
                trigger: manual
                repository: acme/app
                steps: ["true"]
            """);

        Assert.Equal(["by-hand", "nightly", "on-merge", "poller", "release"], config.Jobs.Select(j => j.Name));
        var nightly = config.Jobs.Single(j => j.Name == "nightly");
        Assert.Equal(new JobTrigger(JobTriggerKind.Cron, Cron: "0 0 2 * * *", TimeZone: "Europe/Berlin"), nightly.Trigger);
        Assert.Equal(("acme/app", "https://github.com/acme/app.git", "develop", "linux && docker"), (nightly.Repository, nightly.CloneUrl, nightly.Ref, nightly.NodeLabels));
        Assert.Equal([new JobStep("build", "make"), new JobStep("step 2", "make test")], nightly.Steps);
        Assert.Equal("Release", nightly.Variables["CONFIGURATION"]);
        Assert.Equal("s3cret", nightly.Secrets["TOKEN"]);
        Assert.Equal((TimeSpan.FromMinutes(45), 2, ConcurrencyPolicy.Forbid, MisfirePolicy.Skip, false, JobOrigin.Config),
            (nightly.Timeout, nightly.Retries, nightly.Concurrency, nightly.Misfire, nightly.Enabled, nightly.Origin));
        Assert.Equal(new JobTrigger(JobTriggerKind.PrMerged, SourceBranch: "^feature/", TargetBranch: "^main$"), config.Jobs.Single(j => j.Name == "on-merge").Trigger);
        Assert.Equal(new JobTrigger(JobTriggerKind.TagCreated, Tag: "v*"), config.Jobs.Single(j => j.Name == "release").Trigger);
        Assert.Equal(new JobTrigger(JobTriggerKind.Poll, Branch: "main"), config.Jobs.Single(j => j.Name == "poller").Trigger);
        var manual = config.Jobs.Single(j => j.Name == "by-hand");
        Assert.Equal((JobTriggerKind.Manual, "main", TimeSpan.FromMinutes(30), 0, ConcurrencyPolicy.Allow, true),
            (manual.Trigger.Kind, manual.Ref, manual.Timeout, manual.Retries, manual.Concurrency, manual.Enabled));
    }

    [Fact]
    public void ValidationErrorsPointAtTheFieldsNode()
    {
        var errors = Errors("""
            jobs:
              nightly:
                trigger: { cron: "0 99 2 * * *", timeZone: Nowhere/Land }
                repository: acme/app
                nodeLabels: "linux &&"
                steps: ["make", { name: test, run: "" }]
                retries: 20
            """);

        Assert.Equal(5, errors.Count);
        AssertAt(errors[0], 3, 22, "jobs.nightly.trigger.cron: '0 99 2 * * *' is not a valid cron expression");
        AssertAt(errors[1], 3, 48, "jobs.nightly.trigger.timeZone: unknown time zone 'Nowhere/Land'");
        AssertAt(errors[2], 5, 17, "jobs.nightly.nodeLabels: ");
        AssertAt(errors[3], 6, 40, "jobs.nightly.steps[1].run: the command must not be empty");
        AssertAt(errors[4], 7, 14, "jobs.nightly.retries: must be between 0 and 10");
    }

    [Fact]
    public void ShapeErrorsAreReportedWhereTheyAre()
    {
        var errors = Errors("""
            jobs:
              a:
                trigger: { push: "^main$", poll: main }
                repository: acme/app
                steps: ["true"]
              b:
                repository: acme/app
                step: ["true"]
              c:
                trigger: hourly
                repository: acme/app
                steps: ["true"]
                concurrency: never
            """);

        Assert.Equal(6, errors.Count);
        AssertAt(errors[0], 3, 14, "jobs.a.trigger: names 2 triggers (push, poll); a job has one");
        AssertAt(errors[1], 6, 3, "jobs.b.trigger: a trigger is required");
        AssertAt(errors[2], 6, 3, "jobs.b.steps: at least one step is required");
        AssertAt(errors[3], 8, 5, "jobs.b.step: unknown job setting 'step' (expected one of: trigger, repository,");
        AssertAt(errors[4], 10, 14, "jobs.c.trigger: unknown trigger 'hourly'");
        AssertAt(errors[5], 13, 18, "jobs.c.concurrency: unknown concurrency 'never' (expected one of: allow, forbid, replace)");
    }

    [Fact]
    public void ARepositoryNotUnderReposIsUnknown()
    {
        var error = Assert.Single(Errors("""
            jobs:
              j:
                trigger: manual
                repository: other/app
                steps: ["true"]
            repos:
              acme: {}
            """));

        AssertAt(error, 4, 17, "jobs.j.repository: unknown repository 'other/app'");
    }

    [Fact]
    public void SecretsComeFromTheEnvironmentNeverFromTheFile()
    {
        var errors = Errors("""
            jobs:
              j:
                trigger: manual
                repository: acme/app
                steps: ["true"]
                secrets: { A: "plain", B: "${env:NOT_SET}" }
            """);

        Assert.Equal(2, errors.Count);
        AssertAt(errors[0], 6, 19, "jobs.j.secrets.A: a secret in the file must be \"${env:NAME}\"");
        AssertAt(errors[1], 6, 31, "jobs.j.secrets.B: ${env:NOT_SET}: the setting or environment variable 'NOT_SET' is not set");
    }

    // One meaning of a YAML null for the whole file: "!!str null" is the string "null" in a job as in a linter.
    [Fact]
    public void ATaggedStringNullIsAString()
    {
        var job = Assert.Single(Parse("""
            jobs:
              j:
                trigger: manual
                repository: acme/app
                steps: ["true"]
                variables: { A: !!str null, B: null }
            """).Jobs);

        Assert.Equal(("null", ""), (job.Variables["A"], job.Variables["B"]));
    }

    [Fact]
    public void AFileWithoutJobsHasNone() => Assert.Empty(Parse("linters: {}").Jobs);

    [Fact]
    public void WithoutTheJobsSectionRegistered_JobsIsAnUnknownKey()
    {
        var error = Assert.Single(Assert.Throws<ConfigException>(() => ConfigLoader.Parse("jobs: {}", "config.yaml")).Errors);

        AssertAt(error, 1, 1, "jobs: unknown top-level key 'jobs' (expected one of: linters, repos, trust)");
    }
}
