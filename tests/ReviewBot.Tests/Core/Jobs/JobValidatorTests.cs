using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Jobs;

namespace ReviewBot.Tests.Core.Jobs;

public class JobValidatorTests
{
    private static readonly JobDefinition Valid = new()
    {
        Name = "nightly",
        Trigger = new JobTrigger(JobTriggerKind.Cron, Cron: "0 0 2 * * *", TimeZone: "Europe/Berlin"),
        Repository = "acme/app",
        Steps = [new JobStep("build", "make")],
    };

    private static JobFieldError Single(JobDefinition job, JobValidationContext? context = null) =>
        Assert.Single(JobValidator.Validate(job, context ?? JobValidationContext.Open));

    [Fact]
    public void AValidDefinitionHasNoErrors() => Assert.Empty(JobValidator.Validate(Valid, JobValidationContext.Open));

    [Theory]
    [InlineData("0 2 * * *")]                  // five fields
    [InlineData("*/30 * * * * *")]             // six, seconds first
    [InlineData("@daily")]
    [InlineData("@every_second")]
    [InlineData("0 0 9 ? * MON-FRI")]
    public void CronExpressionsWithOrWithoutSecondsAndMacrosAreAccepted(string cron) =>
        Assert.Empty(JobValidator.Validate(Valid with { Trigger = new JobTrigger(JobTriggerKind.Cron, Cron: cron) }, JobValidationContext.Open));

    [Theory]
    [InlineData("W. Europe Standard Time")]
    [InlineData("America/New_York")]
    [InlineData(null)]
    public void IanaAndWindowsTimeZonesAreAccepted(string? zone) =>
        Assert.Empty(JobValidator.Validate(Valid with { Trigger = Valid.Trigger with { TimeZone = zone } }, JobValidationContext.Open));

    public static TheoryData<JobDefinition, string, string> Invalid => new()
    {
        { Valid with { Trigger = new JobTrigger(JobTriggerKind.Cron, Cron: "0 61 * * *") }, "trigger.cron", "'0 61 * * *' is not a valid cron expression" },
        { Valid with { Trigger = new JobTrigger(JobTriggerKind.Cron, Cron: "* * *") }, "trigger.cron", "'* * *' has 3 field(s)" },
        { Valid with { Trigger = new JobTrigger(JobTriggerKind.Cron, Cron: "") }, "trigger.cron", "a cron expression is required" },
        { Valid with { Trigger = Valid.Trigger with { TimeZone = "Mars/Olympus" } }, "trigger.timeZone", "unknown time zone 'Mars/Olympus'" },
        { Valid with { Trigger = new JobTrigger(JobTriggerKind.PrMerged, SourceBranch: "^feature/(") }, "trigger.prMerged.source", "'^feature/(' is not a valid regular expression" },
        { Valid with { Trigger = new JobTrigger(JobTriggerKind.PrMerged, TargetBranch: "[main") }, "trigger.prMerged.target", "'[main' is not a valid regular expression" },
        { Valid with { Trigger = new JobTrigger(JobTriggerKind.Push, Branch: "*main") }, "trigger.push", "'*main' is not a valid regular expression" },
        { Valid with { Trigger = new JobTrigger(JobTriggerKind.TagCreated, Tag: "/v(/") }, "trigger.tagCreated", "'/v(/' is not a valid regular expression" },
        { Valid with { Trigger = new JobTrigger(JobTriggerKind.Push, Cron: "@daily") }, "trigger.cron", "only a cron trigger" },
        { Valid with { NodeLabels = "linux &&" }, "nodeLabels", "" },
        { Valid with { Repository = "acme" }, "repository", "'acme' is not a repository; write \"owner/name\"" },
        { Valid with { Repository = "ac me/app" }, "repository", "'ac me' is not a GitHub org or user name" },
        { Valid with { Name = "bad name" }, "name", "'bad name' is not a job name" },
        { Valid with { Steps = [] }, "steps", "at least one step is required" },
        { Valid with { Steps = [new JobStep("a", " ")] }, "steps[0].run", "the command must not be empty" },
        { Valid with { Timeout = TimeSpan.Zero }, "timeout", "must be more than zero" },
        { Valid with { Retries = 11 }, "retries", "must be between 0 and 10" },
        { Valid with { Retries = -1 }, "retries", "must be between 0 and 10" },
        { Valid with { Variables = new Dictionary<string, string> { ["1X"] = "" } }, "variables.1X", "'1X' is not an environment variable name" },
        { Valid with { CloneUrl = "not a url" }, "cloneUrl", "'not a url' is neither a URL" },
        { Valid with { Ref = "" }, "ref", "'' is not a branch or tag name" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void EachProblemNamesItsField(JobDefinition job, string field, string messageStart)
    {
        var error = Single(job);
        Assert.Equal(field, error.Field);
        Assert.StartsWith(messageStart, error.Message);
    }

    [Fact]
    public void AJobMayNameAGitLabProjectInSubgroups_KnownThroughItsTopGroup()
    {
        Assert.Empty(JobValidator.Validate(Valid with { Repository = "group/sub/project" }, new JobValidationContext(["group"])));
        Assert.Empty(JobValidator.Validate(Valid with { Repository = "group/sub/project" }, new JobValidationContext(["group/sub/project"])));
        Assert.Equal("repository", Single(Valid with { Repository = "group//project" }, JobValidationContext.Open).Field);
    }

    [Fact]
    public void ARepositoryNotUnderReposIsUnknownUnlessTheJobGivesACloneUrl()
    {
        var context = new JobValidationContext(["acme", "other/one"]);
        Assert.Empty(JobValidator.Validate(Valid with { Repository = "ACME/app" }, context));
        Assert.Empty(JobValidator.Validate(Valid with { Repository = "other/one" }, context));
        Assert.Empty(JobValidator.Validate(Valid with { Repository = "else/where", CloneUrl = "https://git.example.com/else/where.git" }, context));

        var error = Single(Valid with { Repository = "other/two" }, context);
        Assert.Equal("repository", error.Field);
        Assert.StartsWith("unknown repository 'other/two'", error.Message);
    }
}
