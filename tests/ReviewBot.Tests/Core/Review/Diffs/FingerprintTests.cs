using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Tests.Core.Review.Diffs;

public sealed class FingerprintTests
{
    private static Finding F(int line, string message = "Unused variable 'x'", string? rule = "CS0168", string file = "src/a.cs", int? column = 5) =>
        new(file, line, column, null, Severity.Warning, rule, message);

    [Fact]
    public void Of_IsSixteenLowercaseHex() => Assert.Matches("^[0-9a-f]{16}$", Fingerprint.Of("dotnet-format", F(3)));

    [Fact]
    public void Of_SameFindingOnAnotherLineAndColumn_IsEqual()
        => Assert.Equal(Fingerprint.Of("l", F(3)), Fingerprint.Of("l", F(40, column: 1)));

    [Theory]
    [InlineData("x is unused (line 12)", "x is unused (line 80)")]
    [InlineData("shadowed declaration at src/a.cs:12:4", "shadowed declaration at src/a.cs:31:9")]
    [InlineData("see (12,4)", "see (13,1)")]
    [InlineData("duplicate of L10-L12", "duplicate of L20-L22")]
    [InlineData("  two   spaces\tand tab ", "two spaces and tab")]
    [InlineData("Column 4: bad", "Column 9: bad")]
    public void Of_IgnoresPositionsAndWhitespaceInTheMessage(string before, string after)
        => Assert.Equal(Fingerprint.Of("l", F(1, before)), Fingerprint.Of("l", F(9, after)));

    [Fact]
    public void Of_KeepsNumbersThatAreNotPositions()
        => Assert.NotEqual(Fingerprint.Of("l", F(1, "line too long (130 > 120)")), Fingerprint.Of("l", F(1, "line too long (140 > 120)")));

    [Fact]
    public void Of_AnotherRule_Differs() => Assert.NotEqual(Fingerprint.Of("l", F(3)), Fingerprint.Of("l", F(3, rule: "CS0219")));

    [Fact]
    public void Of_AnotherMessage_Differs() => Assert.NotEqual(Fingerprint.Of("l", F(3)), Fingerprint.Of("l", F(3, "Unused variable 'y'")));

    [Fact]
    public void Of_AnotherFile_Differs() => Assert.NotEqual(Fingerprint.Of("l", F(3)), Fingerprint.Of("l", F(3, file: "src/b.cs")));

    [Fact]
    public void Of_AnotherLinter_Differs() => Assert.NotEqual(Fingerprint.Of("a", F(3)), Fingerprint.Of("b", F(3)));

    [Fact]
    public void Of_FieldsDoNotRunTogether()
        => Assert.NotEqual(Fingerprint.Of("l", F(1, "b", rule: "a")), Fingerprint.Of("l", F(1, "", rule: "a\nb")));

    /// <summary>Pinned: a change here re-posts every comment already on every open pull request.</summary>
    [Fact]
    public void Of_IsStableAcrossVersions() => Assert.Equal("3ee3b3b757b37c1d", Fingerprint.Of("l", F(3)));
}

public sealed class FingerprintMarkerTests
{
    private const string Fp = "0123456789abcdef";

    [Fact]
    public void Render_IsAHiddenHtmlCommentNamingTheLinter() =>
        Assert.Equal("<!-- reviewbot:fp=0123456789abcdef linter=golangci-lint -->", FingerprintMarker.Render(Fp, "golangci-lint"));

    [Fact]
    public void TryRead_RoundTripsALinterNameThatNeedsEscaping()
    {
        Assert.True(FingerprintMarker.TryRead(FingerprintMarker.Render(Fp, "my linter/v2"), out var fp, out var linter));
        Assert.Equal(("my linter/v2", Fp), (linter, fp));
    }

    [Fact]
    public void TryRead_RoundTripsInsideACommentBody()
    {
        var body = $"**[dotnet-format]** Unused variable\n\nMore text.\n{FingerprintMarker.Render(Fp, "dotnet-format")}\n";
        Assert.True(FingerprintMarker.TryRead(body, out var fp, out var linter));
        Assert.Equal((Fp, "dotnet-format"), (fp, linter));
    }

    [Fact]
    public void TryRead_RoundTripsAComputedFingerprint()
    {
        var fp = Fingerprint.Of("l", new Finding("a.cs", 1, null, null, Severity.Error, null, "m"));
        Assert.True(FingerprintMarker.TryRead("x\r\n" + FingerprintMarker.Render(fp, "l") + "\r\n", out var read, out _));
        Assert.Equal(fp, read);
    }

    [Theory]
    [InlineData("> <!-- reviewbot:fp=0123456789abcdef linter=l -->")]           // a reply quoting the bot
    [InlineData("the marker reviewbot:fp=0123456789abcdef is hidden")]          // prose
    [InlineData("<!-- reviewbot:fp=0123456789abcdef -->")]                      // no owner
    [InlineData("`<!-- reviewbot:fp=0123456789abcdef linter=l -->`")]           // inline code
    [InlineData("<!-- reviewbot:fp=0123456789abcdef linter=a b -->")]            // unescaped name
    [InlineData("<!-- notreviewbot:fp=0123456789abcdef linter=l -->")]
    [InlineData("<!-- reviewbot:fp=0123456789ABCDEF linter=l -->")]
    [InlineData("<!-- reviewbot:fp=0123456789abcde linter=l -->")]
    [InlineData("<!-- reviewbot:fp=0123456789abcdef0 linter=l -->")]
    [InlineData("<!-- __reviewdog__:0123456789abcdef -->")]
    [InlineData("")]
    public void TryRead_IsNotFooledBySimilarText(string body)
    {
        Assert.False(FingerprintMarker.TryRead(body, out var fp, out var linter));
        Assert.Null(fp);
        Assert.Null(linter);
    }

    [Theory]
    [InlineData("0123456789ABCDEF")]
    [InlineData("short")]
    [InlineData("0123456789abcdef -->\n<!-- x")]
    public void Render_RejectsWhatIsNotAFingerprint(string fp) => Assert.Throws<ArgumentException>(() => FingerprintMarker.Render(fp, "l"));
}
