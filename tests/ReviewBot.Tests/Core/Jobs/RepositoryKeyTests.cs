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
}
