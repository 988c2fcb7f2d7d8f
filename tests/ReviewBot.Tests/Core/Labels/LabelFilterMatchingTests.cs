using ReviewBot.Core.Labels;

namespace ReviewBot.Tests.Core.Labels;

/// <summary>Plain labels, operators, precedence and regexes, with Ginkgo's semantics (onsi/ginkgo types/label_filter.go).</summary>
public sealed class LabelFilterMatchingTests
{
    private static bool Matches(string filter, params string[] labels) => LabelFilter.Parse(filter).Matches(labels);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Parse_BlankText_IsTheEmptyFilterThatMatchesEverything(string? text)
    {
        var filter = LabelFilter.Parse(text);
        Assert.Same(LabelFilter.Empty, filter);
        Assert.True(filter.IsEmpty);
        Assert.True(filter.Matches([]));
        Assert.True(filter.Matches(["gpu"]));
    }

    [Fact]
    public void Matches_PlainLabel_WhenSomeLabelEqualsIt()
        => Assert.True(Matches("linux", "go", "linux"));

    [Fact]
    public void Matches_PlainLabel_IgnoresCase()
        => Assert.True(Matches("Linux", "LINUX"));

    [Fact]
    public void Matches_PlainLabel_NeedsEqualityNotASubstring()
        => Assert.False(Matches("linux", "linux-arm64"));

    [Fact]
    public void Matches_PlainLabel_FailsWithoutLabels()
        => Assert.False(Matches("linux"));

    [Fact]
    public void Matches_PlainLabel_KeepsInnerSpaces()
    {
        Assert.True(Matches("library storage", "library storage"));
        Assert.False(Matches("library storage", "library", "storage"));
    }

    [Fact]
    public void Matches_WhitespaceAroundTokens_IsIgnored()
        => Assert.True(Matches("  ( linux&&go )  ||gpu ", "go", "linux"));

    [Fact]
    public void Matches_AgentLabelWithSurroundingSpaces_IsTrimmed()
        => Assert.True(Matches("linux", "  linux "));

    [Fact]
    public void Matches_KeyValueWithoutSpaceAfterColon_IsAPlainLabel()
    {
        Assert.True(Matches("os:linux", "OS:Linux"));
        Assert.False(Matches("os:linux", "os:darwin"));
    }

    [Fact]
    public void Matches_And_NeedsBothSides()
    {
        Assert.True(Matches("cat && dog", "cat", "dog"));
        Assert.False(Matches("cat && dog", "cat"));
    }

    [Fact]
    public void Matches_Or_NeedsEitherSide()
    {
        Assert.True(Matches("cat || dog", "dog"));
        Assert.False(Matches("cat || dog", "cow"));
    }

    [Fact]
    public void Matches_Comma_IsOr()
    {
        Assert.True(Matches("cat, dog", "dog"));
        Assert.True(Matches("cat,dog||cow,fruit", "fruit"));
        Assert.False(Matches("cat, dog", "cow"));
    }

    [Fact]
    public void Matches_Not_NegatesItsOperand()
    {
        Assert.True(Matches("!cat", "dog"));
        Assert.True(Matches("!cat"));
        Assert.False(Matches("!cat", "cat"));
    }

    [Fact]
    public void Matches_DoubleNot_CancelsOut()
        => Assert.True(Matches("!!cat", "cat"));

    [Fact]
    public void Precedence_AndBindsTighterThanOr()
    {
        Assert.True(Matches("cat || dog && cow", "cat"));
        Assert.False(Matches("cat || dog && cow", "dog"));
        Assert.True(Matches("cat && dog || cow", "cow"));
    }

    [Fact]
    public void Precedence_AndBindsTighterThanComma()
    {
        Assert.True(Matches("cat && dog, cow", "cow"));
        Assert.False(Matches("cat && dog, cow", "cat"));
    }

    [Fact]
    public void Precedence_NotBindsTighterThanAnd()
    {
        Assert.True(Matches("!cat && dog", "dog"));
        Assert.False(Matches("!cat && dog", "cat"));
    }

    [Fact]
    public void Precedence_NotBindsTighterThanOr()
    {
        Assert.True(Matches("!cat || dog", "cat", "dog"));
        Assert.False(Matches("!cat || dog", "cat"));
    }

    [Fact]
    public void Precedence_ParenthesesOverrideIt()
    {
        Assert.False(Matches("(cat || dog) && cow", "cat"));
        Assert.True(Matches("(cat || dog) && cow", "dog", "cow"));
        Assert.True(Matches("!(cat && dog)", "cat"));
        Assert.False(Matches("!(cat || dog)", "dog"));
    }

    [Fact]
    public void Matches_SeveralGroups_CombineAsWritten()
    {
        const string filter = "(!(cat || dog) && fruit) || (cow && !aardvark)";
        Assert.True(Matches(filter, "fruit"));
        Assert.True(Matches(filter, "cow", "dog", "fruit"));
        Assert.False(Matches(filter, "cow", "aardvark"));
        Assert.False(Matches(filter, "cat", "fruit"));
    }

    [Fact]
    public void Matches_Regex_WhenAnyLabelMatches()
    {
        Assert.True(Matches("/c[ao]/ && dog", "dog", "orca"));
        Assert.False(Matches("/c[ao]/ && dog", "dog", "cup"));
    }

    [Fact]
    public void Matches_Regex_IsUnanchored()
        => Assert.True(Matches("/inu/", "linux"));

    [Fact]
    public void Matches_Regex_HonoursExplicitAnchors()
        => Assert.False(Matches("/^go$/", "golang"));

    [Fact]
    public void Matches_Regex_IsCaseSensitive()
        => Assert.False(Matches("/Linux/", "linux"));

    [Fact]
    public void Matches_Regex_InlineCaseInsensitiveFlagWorks()
        => Assert.True(Matches("/(?i)^linux$/", "Linux"));

    [Fact]
    public void Matches_Regex_FailsWithoutLabels()
        => Assert.False(Matches("/.*/"));

    [Fact]
    public void Matches_NegatedRegex_WhenNoLabelMatches()
        => Assert.True(Matches("!/gpu/", "linux"));

    [Fact]
    public void Matches_AcceptsAnyEnumerableOfLabels()
    {
        var filter = LabelFilter.Parse("linux && go");
        Assert.True(filter.Matches(new HashSet<string> { "go", "linux" }));
        Assert.True(filter.Matches(new[] { "x-linux", "x-go" }.Select(label => label[2..])));
    }

    [Fact]
    public void Matches_FromManyThreadsAtOnce_GivesTheSameAnswers()
    {
        var filter = LabelFilter.Parse("(/^go-1\\.2[0-9]$/ || java) && os: containsAny {linux} && !gpu");
        string[] yes = ["go-1.22", "os:linux"];
        string[] no = ["go-1.22", "os:linux", "gpu"];
        var results = new bool[2000];
        Parallel.For(0, results.Length, i => results[i] = filter.Matches(i % 2 == 0 ? yes : no) == (i % 2 == 0));
        Assert.All(results, Assert.True);
    }
}
