using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Tests.Core.Review.Diffs;

/// <summary>Which findings lie on the change, per filter mode, against the captured <c>feature.diff</c>.</summary>
public sealed class DiffFilterTests
{
    private static readonly ChangedLines Changes = new(DiffData.Feature);

    private static Finding At(string file, int line, int? endLine = null) =>
        new(file, line, null, endLine, Severity.Warning, "R1", "message");

    private static bool Keeps(FilterMode mode, Finding f) => new DiffFilter(Changes, mode).TryKeep(f, out _);

    private static ReviewCommentGeometry? Geometry(FilterMode mode, Finding f)
    {
        new DiffFilter(Changes, mode).TryKeep(f, out var result);
        return result.Comment;
    }

    [Theory]
    [InlineData("src/many.cs", 5, true)]      // added
    [InlineData("src/many.cs", 4, false)]     // context
    [InlineData("src/many.cs", 20, false)]    // outside every hunk
    [InlineData("src/many.cs", 53, true)]     // third hunk
    [InlineData("lib/calculator.py", 21, true)]   // renamed file, by its new path
    [InlineData("lib/calc.py", 21, false)]        // ... not by its old one
    [InlineData("docs/gone.md", 1, false)]        // deleted
    [InlineData("assets/logo.png", 1, false)]     // binary
    [InlineData("README.md", 1, false)]           // not in the change
    [InlineData("VERSION", 1, true)]
    [InlineData("my docs/read me.md", 2, true)]
    [InlineData("./src/start.cs", 1, true)]       // tolerated path spelling
    [InlineData("src/start.cs", 0, false)]        // unknown line
    public void Added_KeepsOnlyAddedLines(string file, int line, bool kept) => Assert.Equal(kept, Keeps(FilterMode.Added, At(file, line)));

    [Theory]
    [InlineData("src/many.cs", 4, true)]
    [InlineData("src/many.cs", 30, true)]     // context of a hunk that only removes lines
    [InlineData("src/many.cs", 33, false)]
    [InlineData("docs/gone.md", 1, false)]
    [InlineData("assets/new.bin", 1, false)]
    public void DiffContext_KeepsLinesInsideHunks(string file, int line, bool kept) => Assert.Equal(kept, Keeps(FilterMode.DiffContext, At(file, line)));

    [Theory]
    [InlineData("src/many.cs", 40, true)]
    [InlineData("assets/logo.png", 1, true)]
    [InlineData("lib/calculator.py", 12, true)]
    [InlineData("docs/gone.md", 1, false)]
    [InlineData("README.md", 1, false)]
    public void File_KeepsAnyLineOfAChangedFile(string file, int line, bool kept) => Assert.Equal(kept, Keeps(FilterMode.File, At(file, line)));

    [Theory]
    [InlineData("README.md", 1)]
    [InlineData("docs/gone.md", 2)]
    [InlineData("src/many.cs", 40)]
    public void NoFilter_KeepsEverythingWithoutAComment(string file, int line)
    {
        Assert.True(Keeps(FilterMode.NoFilter, At(file, line)));
        Assert.Null(Geometry(FilterMode.NoFilter, At(file, line)));
    }

    [Fact]
    public void SingleLine_CommentsOnTheRightSide()
        => Assert.Equal(new ReviewCommentGeometry(5, "RIGHT", null, null), Geometry(FilterMode.Added, At("src/many.cs", 5)));

    [Fact]
    public void MultiLineInsideOneHunk_CommentsOnTheRange()
        => Assert.Equal(new ReviewCommentGeometry(55, "RIGHT", 52, "RIGHT"), Geometry(FilterMode.Added, At("src/many.cs", 52, 55)));

    [Fact]
    public void MultiLineAcrossTwoHunks_IsDropped()
    {
        // lib/calculator.py hunks: new 1-6 and 17-24; 3 and 20 are both added.
        Assert.False(Keeps(FilterMode.Added, At("lib/calculator.py", 3, 20)));
        Assert.False(Keeps(FilterMode.DiffContext, At("lib/calculator.py", 3, 20)));
    }

    [Fact]
    public void MultiLineLeavingItsHunk_IsDroppedEvenIfItStartsOnAnAddedLine()
        => Assert.False(Keeps(FilterMode.Added, At("src/many.cs", 5, 9)));

    [Fact]
    public void MultiLineOfContextOnly_IsKeptOnlyWithDiffContext()
    {
        Assert.False(Keeps(FilterMode.Added, At("src/many.cs", 27, 32)));
        Assert.Equal(new ReviewCommentGeometry(32, "RIGHT", 27, "RIGHT"), Geometry(FilterMode.DiffContext, At("src/many.cs", 27, 32)));
    }

    [Fact]
    public void MultiLineAcrossHunks_InFileMode_IsKeptWithoutAComment()
        => Assert.Null(Geometry(FilterMode.File, At("lib/calculator.py", 3, 20)));

    [Fact]
    public void EndLineBeforeLine_IsASingleLine()
        => Assert.Equal(new ReviewCommentGeometry(5, "RIGHT", null, null), Geometry(FilterMode.Added, At("src/many.cs", 5, 2)));

    [Fact]
    public void Apply_KeepsTheOrderOfTheFindingsItKeeps()
    {
        var kept = new DiffFilter(Changes).Apply([At("src/many.cs", 54), At("src/many.cs", 4), At("src/start.cs", 1)]);
        Assert.Equal([54, 1], kept.Select(k => k.Finding.Line));
    }

    [Fact]
    public void GitHubPatch_FilterWorksTheSame()
    {
        var patch = DiffData.Text("github-files-pygithub-pr31.json");
        using var doc = System.Text.Json.JsonDocument.Parse(patch);
        var files = doc.RootElement.EnumerateArray()
            .Select(e => UnifiedDiff.ParsePatch(e.GetProperty("filename").GetString()!, null, e.GetProperty("patch").GetString()!));
        var filter = new DiffFilter(new ChangedLines(files));
        Assert.True(filter.TryKeep(At("src/github/Branch.py", 34), out _));
        Assert.False(filter.TryKeep(At("src/github/Branch.py", 33), out _));
    }

    [Theory]
    [InlineData("added", FilterMode.Added)]
    [InlineData("", FilterMode.Added)]
    [InlineData("default", FilterMode.Added)]
    [InlineData("diff_context", FilterMode.DiffContext)]
    [InlineData("Diff-Context", FilterMode.DiffContext)]
    [InlineData("file", FilterMode.File)]
    [InlineData("nofilter", FilterMode.NoFilter)]
    public void FilterModes_ReadsTheSetting(string text, FilterMode expected)
    {
        Assert.True(FilterModes.TryParse(text, out var mode));
        Assert.Equal(expected, mode);
    }

    [Fact]
    public void FilterModes_RejectsAnUnknownSetting() => Assert.False(FilterModes.TryParse("lines", out _));
}
