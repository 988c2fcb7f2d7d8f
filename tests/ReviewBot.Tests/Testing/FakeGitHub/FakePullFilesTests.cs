using System.Text;
using ReviewBot.Testing.FakeGitHub;

namespace ReviewBot.Tests.Testing.FakeGitHub;

/// <summary>The fake's diff reading and <c>pulls/{n}/files</c>, on diffs made by real git.</summary>
public sealed class FakePullFilesTests
{
    [Fact]
    public async Task Files_of_a_real_git_diff_look_like_GitHubs()
    {
        var lines = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"line {i}")) + "\n";
        using var repo = GitRepo.Create(
            new Dictionary<string, string>
            {
                ["src/edit.cs"] = lines,
                ["src/gone.cs"] = "bye\n",
                ["src/old name.cs"] = lines,
                ["img.bin"] = "\0\u0001binary",
                ["tail.txt"] = "a\nb",
            },
            new Dictionary<string, string?>
            {
                ["src/edit.cs"] = lines.Replace("line 3\n", "line three\n", StringComparison.Ordinal).Replace("line 25\n", "", StringComparison.Ordinal),
                ["src/gone.cs"] = null,
                ["src/old name.cs"] = null,
                ["src/new name.cs"] = lines.Replace("line 30\n", "line thirty\n", StringComparison.Ordinal),
                ["src/added.cs"] = "one\ntwo\n",
                ["img.bin"] = "\0\u0002binary",
                ["tail.txt"] = "a\nc",
            });
        await using var gh = await FakeGitHubClient.StartAsync("/api/v3");
        gh.Server.AddPullRequest("acme", "widgets", 7, repo.BaseSha, repo.HeadSha, repo.Diff());

        var response = await gh.App.GetAsync("repos/ACME/widgets/pulls/7/files");
        Assert.Equal(200, (int)response.StatusCode);
        var files = (await FakeGitHubClient.JsonAsync(response)).AsArray().Select(f => f!.AsObject()).ToDictionary(f => (string)f["filename"]!);

        Assert.Equal("modified", (string)files["src/edit.cs"]["status"]!);
        Assert.Equal(1, (int)files["src/edit.cs"]["additions"]!);
        Assert.Equal(2, (int)files["src/edit.cs"]["deletions"]!);
        Assert.StartsWith("@@ -1,6 +1,6 @@", (string)files["src/edit.cs"]["patch"]!, StringComparison.Ordinal);
        Assert.Equal("removed", (string)files["src/gone.cs"]["status"]!);
        Assert.Equal("added", (string)files["src/added.cs"]["status"]!);
        Assert.Equal("renamed", (string)files["src/new name.cs"]["status"]!);
        Assert.Equal("src/old name.cs", (string)files["src/new name.cs"]["previous_filename"]!);
        Assert.False(files["src/edit.cs"].ContainsKey("previous_filename"));
        Assert.False(files["img.bin"].ContainsKey("patch"));
        Assert.EndsWith("\\ No newline at end of file", (string)files["tail.txt"]["patch"]!, StringComparison.Ordinal);

        var edit = gh.Server.PullRequest("acme", "widgets", 7)!.Files.Single(f => f.Path == "src/edit.cs");
        Assert.NotNull(edit.Find("RIGHT", 3));   // added
        Assert.NotNull(edit.Find("RIGHT", 1));   // context
        Assert.Null(edit.Find("RIGHT", 12));     // between hunks
        var removed = edit.Find("LEFT", 25)!.Value;
        Assert.Equal(('-', "line 25"), (removed.Hunk.Lines[removed.Index].Kind, removed.Hunk.Lines[removed.Index].Text));
        var shifted = edit.Find("RIGHT", 25)!.Value; // the next line moved up into new line 25
        Assert.Equal((' ', "line 26"), (shifted.Hunk.Lines[shifted.Index].Kind, shifted.Hunk.Lines[shifted.Index].Text));
        var tail = gh.Server.PullRequest("acme", "widgets", 7)!.Files.Single(f => f.Path == "tail.txt");
        Assert.Equal("@@ -1,2 +1,2 @@", tail.Hunks.Single().Header);
        Assert.Equal(new[] { ' ', '-', '+' }, tail.Hunks.Single().Lines.Select(l => l.Kind));
    }

    [Fact]
    public void Single_line_hunk_headers_and_quoted_paths_are_read()
    {
        const string diff = """
            diff --git "a/caf\303\251.txt" "b/caf\303\251.txt"
            index 1111111..2222222 100644
            --- "a/caf\303\251.txt"
            +++ "b/caf\303\251.txt"
            @@ -5 +5 @@ section
            -old
            +new

            """;
        var file = Assert.Single(FakeDiff.Parse(diff));
        Assert.Equal("café.txt", file.Path);
        Assert.Equal((5, 1, 5, 1), (file.Hunks[0].OldStart, file.Hunks[0].OldCount, file.Hunks[0].NewStart, file.Hunks[0].NewCount));
        Assert.NotNull(file.Find("RIGHT", 5));
        Assert.NotNull(file.Find("LEFT", 5));
    }

    [Fact]
    public async Task Files_are_paginated_with_GitHubs_Link_header_and_capped_at_3000()
    {
        var diff = new StringBuilder();
        for (var i = 0; i < 3005; i++)
            diff.Append($"diff --git a/f{i}.txt b/f{i}.txt\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/f{i}.txt\n@@ -0,0 +1 @@\n+x\n");
        await using var gh = await FakeGitHubClient.StartAsync();
        gh.Server.AddPullRequest("acme", "widgets", 1, "b", "h", diff.ToString());

        var first = await gh.App.GetAsync("repos/acme/widgets/pulls/1/files");
        Assert.Equal(30, (await FakeGitHubClient.JsonAsync(first)).AsArray().Count);
        var link = first.Headers.GetValues("Link").Single();
        Assert.Equal($"<{gh.Server.ApiUrl}repos/acme/widgets/pulls/1/files?page=2>; rel=\"next\", <{gh.Server.ApiUrl}repos/acme/widgets/pulls/1/files?page=100>; rel=\"last\"", link);

        var last = await gh.App.GetAsync("repos/acme/widgets/pulls/1/files?per_page=250&page=30");
        var names = (await FakeGitHubClient.JsonAsync(last)).AsArray().Select(f => (string)f!["filename"]!).ToList();
        Assert.Equal(100, names.Count); // per_page is capped at 100
        Assert.Equal("f2999.txt", names[^1]); // and the listing at 3000 files
        Assert.Equal(
            $"<{gh.Server.ApiUrl}repos/acme/widgets/pulls/1/files?per_page=250&page=29>; rel=\"prev\", <{gh.Server.ApiUrl}repos/acme/widgets/pulls/1/files?per_page=250&page=1>; rel=\"first\"",
            last.Headers.GetValues("Link").Single());

        Assert.Equal(404, (int)(await gh.App.GetAsync("repos/acme/widgets/pulls/2/files")).StatusCode);
        Assert.Equal(401, (int)(await new HttpClient { DefaultRequestHeaders = { { "User-Agent", "x" } } }.GetAsync(gh.Server.ApiUrl + "repos/acme/widgets/pulls/1")).StatusCode);
    }
}
