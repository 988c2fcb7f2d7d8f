using ReviewBot.Core.Jobs;

namespace ReviewBot.Tests.Core.Jobs;

public sealed class RepositoryKeyTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("acme/app")]
    [InlineData("acme/app.js")]
    [InlineData("user_emu/repo")] // managed user accounts end in "_shortcode"
    public void OrgsAndRepositories_AreKeys(string key) => Assert.Null(RepositoryKey.Check(key));

    [Theory]
    [InlineData("a/b/c", "'a/b/c' is neither an org")]
    [InlineData("-acme/app", "'-acme' is not a GitHub org or user name")]
    [InlineData("acme/..", "'..' is not a GitHub repository name")]
    [InlineData("acme/a b", "'a b' is not a GitHub repository name")]
    public void AnythingElse_SaysWhatIsWrong(string key, string problem) => Assert.StartsWith(problem, RepositoryKey.Check(key));

    [Theory]
    [InlineData("acme/app")]
    [InlineData("acme/.github")] // a GitHub repository name may start with '.'
    [InlineData("group/subgroup/project")]
    [InlineData("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u")] // 20 subgroups
    public void RepositoryPaths_OfGitHubAndGitLab_AreAccepted(string path) => Assert.Null(RepositoryKey.CheckPath(path));

    [Theory]
    [InlineData("acme", -1, "names no repository")]
    [InlineData("", -1, "names no repository")]
    [InlineData("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v", -1, "has 22 parts")]
    [InlineData("group//project", 1, "an empty part")]
    [InlineData("group/../project", 1, "'..'")]
    [InlineData("group%2Fsub/project", 0, "'group%2Fsub'")]
    [InlineData("group/sub/.hidden", 2, "part 3")]
    [InlineData("group/sub/project.git", 2, "not a repository or project name")]
    public void AnyOtherPath_NamesTheWrongPart(string path, int part, string problem)
    {
        var wrong = RepositoryKey.CheckPath(path);

        Assert.NotNull(wrong);
        Assert.Equal(part, wrong.Part);
        Assert.Contains(problem, wrong.Message);
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("my.group")] // a GitLab top-level group
    [InlineData("acme/app")]
    [InlineData("group/subgroup/project")]
    public void ReposKeysAndJobRepositories_MayBeOrgsGroupsOrProjectsInSubgroups(string key) => Assert.Null(RepositoryKey.CheckScope(key));

    [Theory]
    [InlineData("-acme", "'-acme' is not a GitHub org or user name")]
    [InlineData("acme/a b", "'a b' is not a GitHub repository name")]
    [InlineData("group//project", "part 2 of the repository path (an empty part)")]
    [InlineData("group/sub/project.git", "part 3 of the repository path")]
    public void AWrongReposKeyOrJobRepository_SaysWhichPart(string key, string problem) => Assert.StartsWith(problem, RepositoryKey.CheckScope(key));
}
