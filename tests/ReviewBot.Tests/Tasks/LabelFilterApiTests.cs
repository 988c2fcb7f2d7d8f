using ReviewBot.Core.Labels;

namespace ReviewBot.Tests.Tasks;

/// <summary>Text, MentionedLabels and FromList: what config loading and best-fit routing rely on.</summary>
public sealed class LabelFilterApiTests
{
    [Fact]
    public void Text_IsTheTrimmedInput()
        => Assert.Equal("linux &&  go", LabelFilter.Parse("  linux &&  go \n").Text);

    [Fact]
    public void ToString_IsTheText()
        => Assert.Equal("a || b", LabelFilter.Parse("a || b").ToString());

    [Fact]
    public void Empty_HasNoTextAndMentionsNothing()
    {
        Assert.Equal("", LabelFilter.Empty.Text);
        Assert.Empty(LabelFilter.Empty.MentionedLabels);
    }

    [Fact]
    public void MentionedLabels_ArePlainLabelsAndSetKeysLowerCased()
    {
        var filter = LabelFilter.Parse("Linux && !GPU || OS: containsAny {Darwin} || os:Linux || /docker/");
        Assert.Equal(["gpu", "linux", "os", "os:linux"], filter.MentionedLabels.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MentionedLabels_CompareIgnoringCase()
        => Assert.Contains("LINUX", LabelFilter.Parse("linux").MentionedLabels);

    [Fact]
    public void FromList_IsTheAndOfItsItems()
    {
        var filter = LabelFilter.FromList(["linux", "go"]);
        Assert.Equal("linux && go", filter.Text);
        Assert.True(filter.Matches(["go", "linux"]));
        Assert.False(filter.Matches(["linux"]));
    }

    [Fact]
    public void FromList_ParsesEachItemAsAFilter()
    {
        var filter = LabelFilter.FromList(["linux, darwin", "!gpu"]);
        Assert.True(filter.Matches(["darwin"]));
        Assert.False(filter.Matches(["darwin", "gpu"]));
    }

    [Fact]
    public void FromList_TextParsesBackToTheSameFilter()
    {
        var filter = LabelFilter.FromList(["linux, darwin", "go"]);
        Assert.Equal("(linux, darwin) && go", filter.Text);
        var reparsed = LabelFilter.Parse(filter.Text);
        Assert.False(reparsed.Matches(["linux"]));
        Assert.True(reparsed.Matches(["darwin", "go"]));
    }

    [Fact]
    public void FromList_EmptyList_IsEmpty()
        => Assert.Same(LabelFilter.Empty, LabelFilter.FromList([]));

    [Fact]
    public void FromList_BlankItems_AreIgnored()
        => Assert.Equal("linux", LabelFilter.FromList(["", "linux", "  "]).Text);

    [Fact]
    public void FromList_MentionsTheLabelsOfEveryItem()
        => Assert.Equal(["gpu", "linux"], LabelFilter.FromList(["linux", "!gpu"]).MentionedLabels.Order(StringComparer.Ordinal));

    [Fact]
    public void FromList_SyntaxError_NamesTheItemAndThePositionWithinIt()
    {
        var ex = Assert.Throws<LabelFilterSyntaxException>(() => LabelFilter.FromList(["linux", "a &&"]));
        Assert.Equal("list item 1: '&&' is missing its right operand", ex.Detail);
        Assert.Equal(2, ex.Position);
    }
}
