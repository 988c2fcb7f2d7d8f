using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Jobs;

namespace ReviewBot.Tests.Jobs;

/// <summary>Which jobs a code host's event starts, whatever the host (<see cref="JobEvents.Matches"/>): the kind, the
/// repository ignoring case, the enabled flag, and the trigger's whole-name patterns.</summary>
public sealed class JobEventsTests
{
    private static JobDefinition Job(JobTrigger trigger, string repository = "group/project", bool enabled = true) => new()
    {
        Name = "j",
        Repository = repository,
        Trigger = trigger,
        Steps = [new JobStep("run", "true")],
        Enabled = enabled,
    };

    private static JobEvent Merged(string source, string target) =>
        new(JobTriggerKind.PrMerged, CodeHostNames.GitLab, "Group/Project", target, "k", "d") { SourceBranch = source };

    [Fact]
    public void AMerge_StartsThePrMergedJobsWhoseSourceAndTargetPatternsMatchWholeNames()
    {
        var e = Merged("feature/x", "main");

        Assert.True(JobEvents.Matches(Job(new JobTrigger(JobTriggerKind.PrMerged, SourceBranch: "feature/.*", TargetBranch: "main")), e));
        Assert.True(JobEvents.Matches(Job(new JobTrigger(JobTriggerKind.PrMerged)), e));
        Assert.False(JobEvents.Matches(Job(new JobTrigger(JobTriggerKind.PrMerged, TargetBranch: "mai")), e));
        Assert.False(JobEvents.Matches(Job(new JobTrigger(JobTriggerKind.PrMerged, SourceBranch: "release/.*")), e));
    }

    [Fact]
    public void AnotherKind_AnotherRepository_OrADisabledJob_IsNotStarted()
    {
        var e = Merged("feature", "main");

        Assert.False(JobEvents.Matches(Job(new JobTrigger(JobTriggerKind.Push)), e));
        Assert.False(JobEvents.Matches(Job(new JobTrigger(JobTriggerKind.PrMerged), repository: "group/other"), e));
        Assert.False(JobEvents.Matches(Job(new JobTrigger(JobTriggerKind.PrMerged), enabled: false), e));
    }

    [Fact]
    public void ATag_MatchesGlobsAndRegexes_APush_MatchesItsBranch()
    {
        var tag = new JobEvent(JobTriggerKind.TagCreated, CodeHostNames.GitLab, "group/project", "v1.2.3", "k", "d");
        var push = new JobEvent(JobTriggerKind.Push, CodeHostNames.GitHub, "group/project", "main", "k", "d");

        Assert.True(JobEvents.Matches(Job(new JobTrigger(JobTriggerKind.TagCreated, Tag: "v*")), tag));
        Assert.True(JobEvents.Matches(Job(new JobTrigger(JobTriggerKind.TagCreated, Tag: @"/^v\d+\.\d+\.\d+$/")), tag));
        Assert.False(JobEvents.Matches(Job(new JobTrigger(JobTriggerKind.TagCreated, Tag: "release-*")), tag));
        Assert.True(JobEvents.Matches(Job(new JobTrigger(JobTriggerKind.Push, Branch: "main|master")), push));
        Assert.False(JobEvents.Matches(Job(new JobTrigger(JobTriggerKind.Push, Branch: "release/.*")), push));
    }
}
