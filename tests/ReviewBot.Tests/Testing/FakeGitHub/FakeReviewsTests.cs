using System.Text.Json.Nodes;

namespace ReviewBot.Tests.Testing.FakeGitHub;

/// <summary>Reviews and review comments: GitHub's all-or-nothing line validation, listing, replies, pushes.</summary>
public sealed class FakeReviewsTests
{
    // RIGHT commentable: 1-5 (hunk 1), 21-23 (hunk 2). LEFT commentable: 1-4, 20-22.
    private const string Diff = """
        diff --git a/src/app.cs b/src/app.cs
        index 1111111..2222222 100644
        --- a/src/app.cs
        +++ b/src/app.cs
        @@ -1,4 +1,5 @@
         line1
        -line2
        +line2 changed
        +line2b
         line3
         line4
        @@ -20,3 +21,3 @@ class X
         l20
        -l21
        +l21 new
         l22

        """;

    private static object Comment(int line, string side = "RIGHT", int? startLine = null, string path = "src/app.cs") =>
        new { path, body = $"finding at {line}", line, side, start_line = startLine };

    private static async Task<(int Status, JsonNode Body)> ReviewAsync(FakeGitHubClient gh, params object[] comments)
    {
        var response = await FakeGitHubClient.PostAsync(gh.App, "repos/acme/widgets/pulls/3/reviews",
            new { commit_id = "head1", body = "ReviewBot found things", @event = "COMMENT", comments });
        return ((int)response.StatusCode, await FakeGitHubClient.JsonAsync(response));
    }

    private static async Task<FakeGitHubClient> StartAsync()
    {
        var gh = await FakeGitHubClient.StartAsync();
        gh.Server.AddPullRequest("acme", "widgets", 3, "base1", "head1", Diff);
        return gh;
    }

    [Fact]
    public async Task A_comment_off_the_diff_fails_the_whole_review_and_nothing_is_stored()
    {
        await using var gh = await StartAsync();

        var (status, body) = await ReviewAsync(gh, Comment(2), Comment(10));

        Assert.Equal(422, status);
        Assert.Equal("Unprocessable Entity", (string)body["message"]!);
        Assert.Contains("Pull request review thread line must be part of the diff", (string)body["errors"]![0]!, StringComparison.Ordinal);
        Assert.Empty(gh.Server.Reviews("acme", "widgets", 3));
        Assert.Empty(gh.Server.Comments("acme", "widgets", 3));
    }

    [Theory]
    [InlineData(2, "RIGHT", 22, "Pull request review thread start line must be part of the same hunk as the line.")]
    [InlineData(3, "RIGHT", 3, "Pull request review thread start line must precede the end line.")]
    [InlineData(4, "RIGHT", 3, "Pull request review thread start line must precede the end line.")]
    [InlineData(null, "LEFT", 5, "Pull request review thread line must be part of the diff")]   // LEFT 5 is not in a hunk
    [InlineData(null, "RIGHT", 20, "Pull request review thread line must be part of the diff")] // old-only number
    public async Task Ranges_and_sides_are_checked_like_GitHub(int? startLine, string side, int line, string error)
    {
        await using var gh = await StartAsync();
        var (status, body) = await ReviewAsync(gh, Comment(line, side, startLine));
        Assert.Equal(422, status);
        Assert.Contains(error, (string)body["errors"]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_good_review_is_stored_listed_in_pages_and_reanchored_on_push()
    {
        await using var gh = await StartAsync();

        var (status, review) = await ReviewAsync(gh, Comment(2, startLine: 1), Comment(2, "LEFT"), Comment(22));
        Assert.Equal(200, status);
        Assert.Equal("COMMENTED", (string)review["state"]!);
        Assert.Equal("reviewbot[bot]", (string)review["user"]!["login"]!);
        var stored = gh.Server.Comments("acme", "widgets", 3);
        Assert.Equal(3, stored.Count);
        Assert.All(stored, c => Assert.Equal("Bot", c.User.Type));
        Assert.Equal((1, "RIGHT", 2), (stored[0].StartLine!.Value, stored[0].Side, stored[0].Line!.Value));

        // A human reply, then a listing in pages of 2 following Link rel="next".
        var reply = gh.Server.AddHumanReply(stored[0].Id, "alice", "not a bug");
        Assert.Equal(stored[0].Id, reply.InReplyToId);
        var listed = new List<JsonNode>();
        for (var url = "repos/acme/widgets/pulls/3/comments?per_page=2"; url is not null;)
        {
            var page = await gh.User.GetAsync(url);
            listed.AddRange((await FakeGitHubClient.JsonAsync(page)).AsArray()!);
            url = page.Headers.TryGetValues("Link", out var links)
                ? links.Single().Split(", ").Where(l => l.EndsWith("rel=\"next\"", StringComparison.Ordinal)).Select(l => l[1..l.IndexOf('>', StringComparison.Ordinal)]).SingleOrDefault()
                : null;
        }
        Assert.Equal(4, listed.Count);
        Assert.Equal(listed.Select(c => (long)c["id"]!).Order(), listed.Select(c => (long)c["id"]!));
        Assert.Equal("User", (string)listed[3]["user"]!["type"]!);

        // Delete and edit.
        Assert.Equal(204, (int)(await gh.App.DeleteAsync($"repos/acme/widgets/pulls/comments/{stored[1].Id}")).StatusCode);
        Assert.Equal(404, (int)(await gh.App.DeleteAsync($"repos/acme/widgets/pulls/comments/{stored[1].Id}")).StatusCode);
        var patched = await gh.App.PatchAsync($"repos/acme/widgets/pulls/comments/{stored[2].Id}", System.Net.Http.Json.JsonContent.Create(new { body = "edited" }));
        Assert.Equal("edited", (string)(await FakeGitHubClient.JsonAsync(patched))["body"]!);
        Assert.Equal([stored[1].Id], gh.Server.DeletedCommentIds);

        // A push that keeps hunk 1 but drops hunk 2: the comment on line 22 is outdated, the others stay.
        gh.Server.PullRequest("acme", "widgets", 3)!.SetHead("head2", Diff[..Diff.IndexOf("@@ -20", StringComparison.Ordinal)]);
        var after = gh.Server.Comments("acme", "widgets", 3).ToDictionary(c => c.Id);
        Assert.Equal(2, after[stored[0].Id].Line);
        Assert.Equal("head2", after[stored[0].Id].CommitId);
        Assert.Null(after[stored[2].Id].Line);
        Assert.Equal(22, after[stored[2].Id].OriginalLine);

        // Comments may still be made against the older head, checked against that head's diff.
        var (old, _) = await ReviewAsync(gh, Comment(22));
        Assert.Equal(200, old);
        var bad = await FakeGitHubClient.PostAsync(gh.App, "repos/acme/widgets/pulls/3/reviews",
            new { commit_id = "nope", body = "x", @event = "COMMENT", comments = new[] { Comment(2) } });
        Assert.Equal(422, (int)bad.StatusCode);
        // Two good reviews, the refused one, two deletes and an edit; a human reply made through the helper is no request.
        Assert.Equal(6, gh.Server.WriteRequests("acme", "widgets", 3));
    }

    [Fact]
    public async Task A_single_comment_off_the_diff_gets_validation_failed()
    {
        await using var gh = await StartAsync();
        var response = await FakeGitHubClient.PostAsync(gh.User, "repos/acme/widgets/pulls/3/comments",
            new { body = "x", commit_id = "head1", path = "src/app.cs", line = 12, side = "RIGHT" });
        Assert.Equal(422, (int)response.StatusCode);
        var body = await FakeGitHubClient.JsonAsync(response);
        Assert.Equal("Validation Failed", (string)body["message"]!);
        Assert.Equal("pull_request_review_thread.line", (string)body["errors"]![0]!["field"]!);
        Assert.Empty(gh.Server.Comments("acme", "widgets", 3));
    }
}
