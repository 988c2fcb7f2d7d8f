using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Jobs;

namespace ReviewBot.Tests.Core.Jobs;

public sealed class TriggerPatternTests
{
    [Theory]
    [InlineData(null, "anything", true)]
    [InlineData("", "anything", true)]
    [InlineData("main", "main", true)]
    [InlineData("main", "not-main", false)]      // the whole name must match
    [InlineData("main", "main-2", false)]
    [InlineData("release/.*", "release/1.2", true)]
    [InlineData("master|main", "main", true)]
    [InlineData("master|main", "main-old", false)] // the alternation is anchored as a whole
    [InlineData("[", "[", false)]                // not a valid regex: never matches
    public void Branches_MatchAsWholeNameRegexes(string? pattern, string branch, bool matches) =>
        Assert.Equal(matches, TriggerPattern.BranchMatches(pattern, branch));

    [Theory]
    [InlineData("v*", "v1.2.3", true)]
    [InlineData("v*", "release-v1", false)]
    [InlineData("v?.0", "v2.0", true)]
    [InlineData("v1.*", "v1x2", false)]           // '.' is literal in a glob
    [InlineData("v?.?", "v1.2", true)]
    [InlineData(@"/v\d+\.\d+/", "v1.22", true)]
    [InlineData(@"/v\d+\.\d+/", "v1.22-rc", false)]
    [InlineData("/^v\\d+$/", "v12", true)]
    [InlineData("/^v\\d+$/", "v1.2", false)]
    [InlineData(null, "x", true)]
    public void Tags_MatchAGlobOrASlashedRegex(string? pattern, string tag, bool matches) =>
        Assert.Equal(matches, TriggerPattern.TagMatches(pattern, tag));

    private static readonly JobDefinition Job = new()
    {
        Name = "j", Trigger = new JobTrigger(JobTriggerKind.Manual), Repository = "acme/app", Steps = [new JobStep("build", "make")],
    };

    private static IReadOnlyList<JobFieldError> Validate(JobTrigger trigger) => JobValidator.Validate(Job with { Trigger = trigger }, JobValidationContext.Open);

    // What the validator accepts is what the matcher matches, as the docs say: the whole name. (The validator once compiled
    // its own unanchored copy, so "/v\d+\.\d+/" validated as matching "v1.22-rc" while webhooks never fired for it.)
    [Theory]
    [InlineData(@"/v\d+\.\d+/", "v1.22", true)]
    [InlineData(@"/v\d+\.\d+/", "v1.22-rc", false)]
    [InlineData("v*", "v1", true)]
    [InlineData("/rc/", "v1-rc", false)]
    public void ATagPatternTheValidatorAccepts_MatchesTheWholeTag(string pattern, string tag, bool matches)
    {
        Assert.Empty(Validate(new JobTrigger(JobTriggerKind.TagCreated, Tag: pattern)));
        Assert.Equal(matches, TriggerPattern.TagMatches(pattern, tag));
    }

    [Theory]
    [InlineData("main", "main", true)]
    [InlineData("main", "not-main", false)]
    [InlineData("(?x) main  # the default branch\n", "main", true)] // a comment ended by a newline is fine
    public void ABranchPatternTheValidatorAccepts_MatchesTheWholeBranch(string pattern, string branch, bool matches)
    {
        Assert.Empty(Validate(new JobTrigger(JobTriggerKind.Push, Branch: pattern)));
        Assert.Empty(Validate(new JobTrigger(JobTriggerKind.PrMerged, SourceBranch: pattern, TargetBranch: pattern)));
        Assert.Equal(matches, TriggerPattern.BranchMatches(pattern, branch));
    }

    // "(?x)main # note" compiles alone, but inside ^(?:…)$ the comment swallows ")$": it could never fire, so it is refused.
    [Theory]
    [InlineData("(?x)main # note")]
    [InlineData("/(?x)v1 # note/")]
    public void APatternThatCannotMatchAWholeName_IsRefusedRatherThanNeverFiring(string pattern)
    {
        var tag = pattern.StartsWith('/');
        var ok = tag ? TriggerPattern.TryParseTag(pattern, out _, out var problem) : TriggerPattern.TryParseBranch(pattern, out _, out problem);

        Assert.False(ok);
        Assert.StartsWith($"'{pattern}' cannot match a whole name", problem);
        var error = Assert.Single(Validate(tag ? new JobTrigger(JobTriggerKind.TagCreated, Tag: pattern) : new JobTrigger(JobTriggerKind.Push, Branch: pattern)));
        Assert.Equal((tag ? "trigger.tagCreated" : "trigger.push", problem), (error.Field, error.Message));
    }

    [Fact]
    public void AnInvalidRegex_IsNamedAsWritten()
    {
        Assert.False(TriggerPattern.TryParseBranch("[main", out _, out var problem));
        Assert.StartsWith("'[main' is not a valid regular expression: ", problem);
        Assert.DoesNotContain("^(?:", problem);
    }

    [Fact]
    public void AMatchThatTimesOut_IsNoMatch()
    {
        Assert.True(TriggerPattern.TryParseBranch("(a+)+b", out var pattern, out _));

        Assert.False(pattern.Matches(new string('a', 40)));
    }
}
