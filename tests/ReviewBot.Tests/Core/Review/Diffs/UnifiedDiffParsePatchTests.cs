using System.Text.Json;
using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Tests.Core.Review.Diffs;

/// <summary>One file's hunks as GitHub <c>files[].patch</c> / GitLab <c>changes[].diff</c> give them.</summary>
public sealed class UnifiedDiffParsePatchTests
{
    private static FileDiff GitHubFile(string filename)
    {
        using var doc = JsonDocument.Parse(DiffData.Text("github-files-pygithub-pr31.json"));
        var entry = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("filename").GetString() == filename);
        var previous = entry.TryGetProperty("previous_filename", out var p) ? p.GetString() : null;
        return UnifiedDiff.ParsePatch(filename, previous, entry.GetProperty("patch").GetString()!);
    }

    [Fact]
    public void ParsePatch_RealGitHubFilesEntry_FindsTheAddedLine()
    {
        var file = GitHubFile("codegen/templates/GithubObject.py");
        Assert.Equal(FileStatus.Modified, file.Status);
        var hunk = Assert.Single(file.Hunks);
        Assert.Equal("def __useAttributes( self, attributes ):", hunk.Section);
        Assert.Equal([73], hunk.AddedLines);
        Assert.Equal([70, 71, 72, 74, 75, 76], hunk.ContextLines);
    }

    [Fact]
    public void ParsePatch_RealGitHubFilesEntryWithoutTrailingNewline_ReadsTheLastLine()
    {
        var hunk = Assert.Single(GitHubFile("src/github/Branch.py").Hunks);
        Assert.Equal([31, 34], hunk.AddedLines);
        Assert.Equal([28, 29, 30, 32, 33, 35, 36], hunk.ContextLines);
    }

    [Fact]
    public void ParsePatch_HunksCutFromGitOutput_MatchTheFullParse()
    {
        var full = DiffData.Feature.Named("lib/calculator.py");
        var text = DiffData.Text("feature.diff");
        var start = text.IndexOf("@@ -1,6 +1,6 @@", StringComparison.Ordinal);
        var end = text.IndexOf("diff --git a/my docs", StringComparison.Ordinal);
        var file = UnifiedDiff.ParsePatch("lib/calculator.py", "lib/calc.py", text[start..end]);
        Assert.Equal((FileStatus.Renamed, "lib/calc.py"), (file.Status, file.OldPath));
        Assert.Equal(full.Hunks.Select(h => h.AddedLines), file.Hunks.Select(h => h.AddedLines));
        Assert.Equal(full.Hunks.Select(h => h.ContextLines), file.Hunks.Select(h => h.ContextLines));
    }

    [Fact]
    public void ParsePatch_OnlyFromNothing_IsAnAddedFile()
    {
        var file = UnifiedDiff.ParsePatch("notes/new-no-newline.txt", null, "@@ -0,0 +1 @@\n+no newline at all\n\\ No newline at end of file");
        Assert.Equal((FileStatus.Added, null), (file.Status, file.OldPath));
        Assert.Equal([1], Assert.Single(file.Hunks).AddedLines);
    }

    [Fact]
    public void ParsePatch_OnlyToNothing_IsADeletedFile()
        => Assert.Equal(FileStatus.Deleted, UnifiedDiff.ParsePatch("docs/gone.md", "docs/gone.md", "@@ -1,3 +0,0 @@\n-# Gone\n-\n-This file is deleted.").Status);

    [Fact]
    public void ParsePatch_MissingPatch_HasNoHunks()
        => Assert.Empty(UnifiedDiff.ParsePatch("assets/logo.png", null, "").Hunks);

    [Fact]
    public void ParsePatch_MissingPatchOfARemovedFile_IsDeletedWhenTheApiSaysSo()
    {
        var file = UnifiedDiff.ParsePatch("docs/huge.md", null, "", FileStatus.Deleted);
        Assert.Equal((FileStatus.Deleted, false), (file.Status, file.HasCommentableLines));
        Assert.False(new DiffFilter(new ChangedLines([file]), FilterMode.File).TryKeep(
            new ReviewBot.Contracts.Findings.Finding("docs/huge.md", 1, null, null, ReviewBot.Contracts.Findings.Severity.Info, null, "m"), out _));
    }

    [Fact]
    public void ParsePatch_HeaderWithoutSection_IsRead()
        => Assert.Equal("", Assert.Single(UnifiedDiff.ParsePatch("a", null, "@@ -1 +1 @@\n-x\n+y").Hunks).Section);
}
