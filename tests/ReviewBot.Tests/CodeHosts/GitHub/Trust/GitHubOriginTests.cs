using System.Text.Json;
using System.Text.Json.Nodes;
using Octokit.Webhooks.Events;
using ReviewBot.Functions.CodeHosts.GitHub.Trust;
using ReviewBot.Functions.Trust;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.CodeHosts.GitHub.Trust;

/// <summary>The trust facts read from a real pull_request payload.</summary>
public class GitHubOriginTests
{
    private static PullRequestOrigin Of(Action<JsonNode> edit)
    {
        var json = Deliveries.Load("pull_request.opened");
        edit(json);
        return GitHubOrigin.Of(JsonSerializer.Deserialize<PullRequestEvent>(json.ToJsonString())!);
    }

    [Fact]
    public void TheFixturesOwnBranch_IsNoFork_AndItsOwnerIsTrusted()
    {
        var o = Of(_ => { });

        Assert.Equal((null, true, "Codertocat", "the repository's owner"), (o.Fork, o.AuthorTrusted, o.Author, o.AuthorRole));
    }

    [Fact]
    public void AnotherHeadRepository_IsAFork_NamedByItsFullName()
    {
        var o = Of(j =>
        {
            j["pull_request"]!["head"]!["repo"]!["id"] = 5;
            j["pull_request"]!["head"]!["repo"]!["full_name"] = "someone/Hello-World";
            j["pull_request"]!["author_association"] = "CONTRIBUTOR";
        });

        Assert.Equal(("someone/Hello-World", false, "a contributor without write access"), (o.Fork, o.AuthorTrusted, o.AuthorRole));
    }

    [Fact]
    public void AHeadRepositoryThatIsGone_CountsAsAFork() =>
        Assert.Equal("(deleted)", Of(j => j["pull_request"]!["head"]!["repo"] = null).Fork);

    [Fact]
    public void ARenamedBaseRepository_IsStillTheSameRepository() =>
        Assert.Null(Of(j => j["pull_request"]!["head"]!["repo"]!["full_name"] = "Codertocat/Old-Name").Fork);
}
