using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;

namespace ReviewBot.Tests.Core.Review;

public sealed class FixApplierTests
{
    private const string Script = "#!/bin/sh\necho  a\necho  b\nif x; then\necho c\nfi\n";

    private static FileFix F(int start, int end, string text, string? rule = "R") => new(new FindingFix(start, end, text), rule);

    [Fact]
    public void FixesOnSeveralLines_AreAllApplied_EachAgainstTheLinesTheLinterSaw()
    {
        // The first fix grows the file by a line; the second still lands on the original lines 4-6.
        var result = FixApplier.Apply(Script, [F(2, 2, "echo a\n# note\n"), F(4, 6, "if x; then\n\techo c\nfi\n")]);

        Assert.Equal("#!/bin/sh\necho a\n# note\necho  b\nif x; then\n\techo c\nfi\n", result.Text);
        Assert.Equal(2, result.Applied.Count);
        Assert.Empty(result.Skipped);
    }

    [Fact]
    public void OverlappingFixes_KeepTheFirst_AndSkipTheRest()
    {
        var first = F(4, 6, "if x; then\n\techo c\nfi\n", "indent");
        var overlapping = F(5, 5, "echo C\n", "upper");
        var result = FixApplier.Apply(Script, [first, overlapping]);

        Assert.Equal("#!/bin/sh\necho  a\necho  b\nif x; then\n\techo c\nfi\n", result.Text);
        Assert.Equal([first], result.Applied);
        Assert.Equal([(overlapping, FixSkip.Overlaps)], result.Skipped);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 2)]
    [InlineData(6, 7)]
    public void AFixOutsideTheFile_IsSkipped_AndTheFileIsUnchanged(int start, int end)
    {
        var fix = F(start, end, "x\n");
        var result = FixApplier.Apply(Script, [fix]);

        Assert.Equal(Script, result.Text);
        Assert.Equal([(fix, FixSkip.OutOfRange)], result.Skipped);
    }

    [Fact]
    public void AnEmptyFix_DeletesItsLines()
    {
        Assert.Equal("#!/bin/sh\nif x; then\necho c\nfi\n", FixApplier.Apply(Script, [F(2, 3, "")]).Text);
    }

    [Fact]
    public void LineEnds_AreKept_CrLfAndAMissingFinalNewline()
    {
        Assert.Equal("a\r\nB\r\nB2\r\nc", FixApplier.Apply("a\r\nb\r\nc", [F(2, 2, "B\nB2\n")]).Text);
        Assert.Equal("a\nb\nC\nD", FixApplier.Apply("a\nb\nc", [F(3, 3, "C\nD\n")]).Text);
    }
}
