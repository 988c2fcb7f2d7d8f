using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Tests.Core.Review.Diffs;

/// <summary><c>git diff main...feature</c> captured from a real repository (TestData/diffs/make-diffs.sh).</summary>
public sealed class UnifiedDiffParseTests
{
    [Fact]
    public void Parse_GitDiff_ReadsEveryFileInOrder() => Assert.Equal(
        ["VERSION", "assets/logo.png", "assets/new.bin", "café.txt", "config/single.ini", "db/schema.sql", "docs/gone.md", "lib/calculator.py",
         "my docs/read me.md", "notes/new-no-newline.txt", "notes/no-newline.txt", "src/empty.txt", "src/many.cs",
         "src/new_file.cs", "src/start.cs", "weird \"q\".txt"],
        DiffData.Feature.Select(f => f.NewPath));

    [Fact]
    public void Parse_RenameWithEdits_KeepsBothPathsAndTheHunks()
    {
        var file = DiffData.Feature.Named("lib/calculator.py");
        Assert.Equal((FileStatus.Renamed, "lib/calc.py"), (file.Status, file.OldPath));
        Assert.Equal([[3], [20, 21]], file.Hunks.Select(h => h.AddedLines));
        Assert.Equal([1, 2, 4, 5, 6], file.Hunks[0].ContextLines);
        Assert.Equal([17, 18, 19, 22, 23, 24], file.Hunks[1].ContextLines);
        Assert.Equal("def f16(x): return x + 16", file.Hunks[1].Section);
    }

    [Fact]
    public void Parse_NewFile_IsAddedWithEveryLineAdded()
    {
        var file = DiffData.Feature.Named("src/new_file.cs");
        Assert.Equal((FileStatus.Added, null), (file.Status, file.OldPath));
        var hunk = Assert.Single(file.Hunks);
        Assert.Equal((0, 0, 1, 6), (hunk.OldStart, hunk.OldCount, hunk.NewStart, hunk.NewCount));
        Assert.Equal([1, 2, 3, 4, 5, 6], hunk.AddedLines);
        Assert.Empty(hunk.ContextLines);
    }

    [Fact]
    public void Parse_EmptyNewFile_IsAddedWithoutHunks()
    {
        var file = DiffData.Feature.Named("src/empty.txt");
        Assert.Equal(FileStatus.Added, file.Status);
        Assert.Empty(file.Hunks);
    }

    [Fact]
    public void Parse_DeletedFile_HasNoNewSideLines()
    {
        var file = DiffData.Feature.Named("docs/gone.md");
        Assert.Equal((FileStatus.Deleted, "docs/gone.md", false), (file.Status, file.OldPath, file.HasCommentableLines));
        var hunk = Assert.Single(file.Hunks);
        Assert.Equal((1, 3, 0, 0), (hunk.OldStart, hunk.OldCount, hunk.NewStart, hunk.NewCount));
        Assert.Empty(hunk.AddedLines);
        Assert.False(hunk.Contains(0));
    }

    [Theory]
    [InlineData("assets/logo.png")]
    [InlineData("assets/new.bin")]
    public void Parse_BinaryFile_IsBinaryWithoutHunks(string path)
    {
        var file = DiffData.Feature.Named(path);
        Assert.Equal((FileStatus.Binary, false), (file.Status, file.HasCommentableLines));
        Assert.Empty(file.Hunks);
    }

    [Fact]
    public void Parse_NoNewlineAtEndOnBothSides_CountsTheLastLineOnce()
    {
        var hunk = Assert.Single(DiffData.Feature.Named("notes/no-newline.txt").Hunks);
        Assert.Equal([2], hunk.AddedLines);
        Assert.Equal([1], hunk.ContextLines);
    }

    [Fact]
    public void Parse_NewFileWithoutNewline_EndsTheFileBeforeTheNextHeader()
    {
        var hunk = Assert.Single(DiffData.Feature.Named("notes/new-no-newline.txt").Hunks);
        Assert.Equal((0, 0, 1, 1), (hunk.OldStart, hunk.OldCount, hunk.NewStart, hunk.NewCount));
        Assert.Equal([1], hunk.AddedLines);
        Assert.Equal(FileStatus.Modified, DiffData.Feature.Named("notes/no-newline.txt").Status);
    }

    [Fact]
    public void Parse_SingleLineHunkWithoutCounts_MeansOneLine()
    {
        var hunk = Assert.Single(DiffData.Feature.Named("VERSION").Hunks);
        Assert.Equal((1, 1, 1, 1), (hunk.OldStart, hunk.OldCount, hunk.NewStart, hunk.NewCount));
        Assert.Equal([1], hunk.AddedLines);
    }

    [Fact]
    public void Parse_ZeroContextSingleLineHunk_KeepsItsSectionText()
    {
        var hunk = Assert.Single(DiffData.FeatureU0.Named("config/single.ini").Hunks);
        Assert.Equal((5, 1, 5, 1, "key4 = value4"), (hunk.OldStart, hunk.OldCount, hunk.NewStart, hunk.NewCount, hunk.Section));
        Assert.Equal([5], hunk.AddedLines);
    }

    [Fact]
    public void Parse_ZeroContextPureDeletion_HasAnEmptyNewSide()
    {
        var hunks = DiffData.FeatureU0.Named("src/many.cs").Hunks;
        Assert.Equal([(5, 1), (29, 0), (53, 2)], hunks.Select(h => (h.NewStart, h.NewCount)));
        Assert.Empty(hunks[1].AddedLines);
        Assert.False(hunks[1].Contains(29));
        Assert.Equal([53, 54], hunks[2].AddedLines);
    }

    [Fact]
    public void Parse_HunkAtTheStartOfAFile_NumbersFromLineOne()
    {
        var hunk = Assert.Single(DiffData.Feature.Named("src/start.cs").Hunks);
        Assert.Equal([1, 2], hunk.AddedLines);
        Assert.Equal([3, 4, 5], hunk.ContextLines);
    }

    [Fact]
    public void Parse_SeveralHunksInOneFile_NumbersEachFromItsHeader()
    {
        var hunks = DiffData.Feature.Named("src/many.cs").Hunks;
        Assert.Equal([[5], [], [53, 54]], hunks.Select(h => h.AddedLines));
        Assert.Equal([[2, 3, 4, 6, 7, 8], [27, 28, 29, 30, 31, 32], [50, 51, 52, 55, 56, 57]], hunks.Select(h => h.ContextLines));
    }

    [Fact]
    public void Parse_PathWithSpaces_DropsTheTabGitAppends()
    {
        var file = DiffData.Feature.Named("my docs/read me.md");
        Assert.Equal((FileStatus.Modified, "my docs/read me.md"), (file.Status, file.OldPath));
        Assert.Equal([2], Assert.Single(file.Hunks).AddedLines);
    }

    [Theory]
    [InlineData("café.txt")]
    [InlineData("weird \"q\".txt")]
    public void Parse_QuotedPath_IsUnescaped(string path)
        => Assert.Equal([1], Assert.Single(DiffData.Feature.Named(path).Hunks).AddedLines);

    [Fact]
    public void Parse_ThreeDotDiff_LeavesOutWhatOnlyTheBaseBranchChanged()
        => Assert.DoesNotContain(11, DiffData.Feature.Named("config/single.ini").Hunks.SelectMany(h => h.AddedLines));

    [Fact]
    public void Parse_BodyLinesThatLookLikeFileHeaders_StayInTheHunk()
    {
        var file = DiffData.Feature.Named("db/schema.sql");
        Assert.Equal((FileStatus.Modified, "db/schema.sql"), (file.Status, file.OldPath));
        var hunk = Assert.Single(file.Hunks);
        Assert.Equal([1], hunk.AddedLines);
        Assert.Equal([2], hunk.ContextLines);
    }

    [Fact]
    public void Parse_RemovedLineThatLooksLikeAFileHeader_StaysInTheHunk()
    {
        const string diff = "diff --git a/x.sql b/x.sql\nindex 1..2 100644\n--- a/x.sql\n+++ b/x.sql\n"
            + "@@ -1,3 +1,3 @@\n--- comment\n+++ comment\n keep\n-end\n+END\n";
        var file = Assert.Single(UnifiedDiff.Parse(diff));
        Assert.Equal(("x.sql", FileStatus.Modified), (file.NewPath, file.Status));
        var hunk = Assert.Single(file.Hunks);
        Assert.Equal([1, 3], hunk.AddedLines);
        Assert.Equal([2], hunk.ContextLines);
    }

    [Fact]
    public void Parse_CrLfOutput_ReadsLikeLf()
    {
        var crlf = DiffData.Text("feature.diff").Replace("\n", "\r\n");
        Assert.Equal(
            DiffData.Feature.SelectMany(f => f.Hunks.SelectMany(h => h.AddedLines)),
            UnifiedDiff.Parse(crlf).SelectMany(f => f.Hunks.SelectMany(h => h.AddedLines)));
    }
}
