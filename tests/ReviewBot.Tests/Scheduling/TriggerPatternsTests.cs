using ReviewBot.Functions.Jobs.Triggers;

namespace ReviewBot.Tests.Scheduling;

public sealed class TriggerPatternsTests
{
    [Theory]
    [InlineData(null, "anything", true)]
    [InlineData("main", "main", true)]
    [InlineData("main", "not-main", false)]      // the whole name must match
    [InlineData("main", "main-2", false)]
    [InlineData("release/.*", "release/1.2", true)]
    [InlineData("master|main", "main", true)]
    [InlineData("[", "[", false)]                // not a valid regex: never matches
    public void Branches_MatchAsWholeNameRegexes(string? pattern, string branch, bool matches) =>
        Assert.Equal(matches, TriggerPatterns.BranchMatches(pattern, branch));

    [Theory]
    [InlineData("v*", "v1.2.3", true)]
    [InlineData("v*", "release-v1", false)]
    [InlineData("v?.0", "v2.0", true)]
    [InlineData("v1.*", "v1x2", false)]           // '.' is literal in a glob
    [InlineData(@"/v\d+\.\d+/", "v1.22", true)]
    [InlineData(@"/v\d+\.\d+/", "v1.22-rc", false)]
    [InlineData(null, "x", true)]
    public void Tags_MatchAGlobOrASlashedRegex(string? pattern, string tag, bool matches) =>
        Assert.Equal(matches, TriggerPatterns.TagMatches(pattern, tag));
}
