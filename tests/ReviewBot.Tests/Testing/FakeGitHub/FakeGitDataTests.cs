using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ReviewBot.Tests.Testing.FakeGitHub;

/// <summary>What "Apply fixes" and resolved threads lean on in the fake: check-run actions within GitHub's limits, the
/// Git Data API with its fast-forward rule, and review threads whose resolution is kept.</summary>
public sealed class FakeGitDataTests
{
    [Theory]
    [InlineData("Apply 123456789 fixes", "d", "apply", "label")]
    [InlineData("Apply", "Commit the suggested fixes to this branch!", "apply", "description")]
    [InlineData("Apply", "d", "apply-fixes-of-the-run", "identifier")]
    public async Task A_check_run_action_over_GitHubs_limits_is_refused(string label, string description, string identifier, string field)
    {
        await using var gh = await FakeGitHubClient.StartAsync();
        var response = await FakeGitHubClient.PostAsync(gh.App, "repos/acme/widgets/check-runs",
            new { name = "lint", head_sha = "abc", actions = new[] { new { label, description, identifier } } });

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Contains($"For 'properties/{field}'", (string)(await FakeGitHubClient.JsonAsync(response))["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actions_are_kept_and_replaced_by_an_update_that_sends_them()
    {
        await using var gh = await FakeGitHubClient.StartAsync();
        var created = await FakeGitHubClient.PostAsync(gh.App, "repos/acme/widgets/check-runs",
            new { name = "lint", head_sha = "abc", actions = new[] { new { label = "Apply 2 fixes", description = "d", identifier = "apply-fixes" } } });
        var id = (long)(await FakeGitHubClient.JsonAsync(created))["id"]!;
        Assert.Equal("Apply 2 fixes", Assert.Single(Assert.Single(gh.Server.CheckRuns("acme", "widgets")).Actions).Label);

        await gh.App.PatchAsync($"repos/acme/widgets/check-runs/{id}", JsonContent.Create(new { status = "in_progress" }));
        Assert.Single(Assert.Single(gh.Server.CheckRuns("acme", "widgets")).Actions);
        await gh.App.PatchAsync($"repos/acme/widgets/check-runs/{id}", JsonContent.Create(new { actions = Array.Empty<object>() }));
        Assert.Empty(Assert.Single(gh.Server.CheckRuns("acme", "widgets")).Actions);
    }

    [Fact]
    public async Task A_commit_on_the_head_moves_the_branch_and_one_that_is_not_a_fast_forward_is_refused()
    {
        await using var gh = await FakeGitHubClient.StartAsync();
        gh.Server.SeedCommit("1111111111111111111111111111111111111111", new Dictionary<string, string> { ["a.sh"] = "echo a\n", ["b.sh"] = "echo b\n" });
        gh.Server.SetRef("acme", "widgets", "heads/feature", "1111111111111111111111111111111111111111");
        var head = await FakeGitHubClient.JsonAsync(await gh.App.GetAsync("repos/acme/widgets/git/commits/1111111111111111111111111111111111111111"));
        var baseTree = (string)head["tree"]!["sha"]!;

        var blob = (string)(await FakeGitHubClient.JsonAsync(await FakeGitHubClient.PostAsync(gh.App, "repos/acme/widgets/git/blobs", new { content = "echo A\n", encoding = "utf-8" })))["sha"]!;
        Assert.Equal(System.Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData("blob 7\0echo A\n"u8)), blob); // git's blob id
        var tree = (string)(await FakeGitHubClient.JsonAsync(await FakeGitHubClient.PostAsync(gh.App, "repos/acme/widgets/git/trees",
            new { base_tree = baseTree, tree = new[] { new { path = "a.sh", mode = "100644", type = "blob", sha = blob } } })))["sha"]!;
        var commit = (string)(await FakeGitHubClient.JsonAsync(await FakeGitHubClient.PostAsync(gh.App, "repos/acme/widgets/git/commits",
            new { message = "fix", tree, parents = new[] { "1111111111111111111111111111111111111111" } })))["sha"]!;
        var orphan = (string)(await FakeGitHubClient.JsonAsync(await FakeGitHubClient.PostAsync(gh.App, "repos/acme/widgets/git/commits",
            new { message = "orphan", tree, parents = Array.Empty<string>() })))["sha"]!;

        var moved = await gh.App.PatchAsync("repos/acme/widgets/git/refs/heads/feature", JsonContent.Create(new { sha = commit, force = false }));
        Assert.Equal(200, (int)moved.StatusCode);
        Assert.Equal(("echo A\n", "echo b\n"), (gh.Server.FileAt(commit, "a.sh"), gh.Server.FileAt(commit, "b.sh")));
        var refused = await gh.App.PatchAsync("repos/acme/widgets/git/refs/heads/feature", JsonContent.Create(new { sha = orphan, force = false }));
        Assert.Equal(422, (int)refused.StatusCode);
        Assert.Equal("Update is not a fast forward", (string)(await FakeGitHubClient.JsonAsync(refused))["message"]!);
        Assert.Equal(commit, gh.Server.Ref("acme", "widgets", "heads/feature"));
    }

    [Fact]
    public async Task Resolving_an_unknown_thread_is_a_graphql_not_found()
    {
        await using var gh = await FakeGitHubClient.StartAsync();
        var answer = await FakeGitHubClient.JsonAsync(await FakeGitHubClient.PostAsync(gh.App, "graphql",
            new { query = "mutation($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id } } }", variables = new { threadId = "PRRT_42" } }));

        Assert.Equal("NOT_FOUND", (string)((JsonArray)answer["errors"]!)[0]!["type"]!);
        Assert.Empty(gh.Server.ThreadMutations);
    }
}
