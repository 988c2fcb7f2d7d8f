using ReviewBot.Contracts.Agents;

namespace ReviewBot.Tests.Core.Paths;

/// <summary>The gitignore pattern format (git-scm.com/docs/gitignore), as paths/ignore globs use it.</summary>
public sealed class GitignorePatternTests
{
    [Theory]
    [InlineData("*.go", "main.go", true)]
    [InlineData("*.go", "svc/a/main.go", true)]              // no slash: any depth
    [InlineData("*.go", "main.go.txt", false)]
    [InlineData("/main.go", "main.go", true)]                // leading slash: anchored at the root
    [InlineData("/main.go", "svc/main.go", false)]
    [InlineData("svc/*.go", "svc/main.go", true)]            // a middle slash anchors too
    [InlineData("svc/*.go", "x/svc/main.go", false)]
    [InlineData("svc/*.go", "svc/a/main.go", false)]         // '*' stops at '/'
    [InlineData("docs/", "docs/index.md", true)]             // a directory takes every file below it
    [InlineData("docs/", "docs", false)]                      // trailing slash: directories only
    [InlineData("docs", "a/docs/x.md", true)]
    [InlineData("**/testdata", "svc/a/testdata/x.go", true)]
    [InlineData("**/testdata", "testdata/x.go", true)]
    [InlineData("svc/**", "svc/a/b/c.go", true)]
    [InlineData("svc/**", "svc", false)]
    [InlineData("a/**/b", "a/b", true)]                       // /**/ is zero or more directories
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("file?.go", "file1.go", true)]
    [InlineData("file?.go", "file/.go", false)]
    [InlineData("file[0-9].go", "file7.go", true)]
    [InlineData("file[!0-9].go", "file7.go", false)]
    [InlineData("file[!0-9].go", "filex.go", true)]
    [InlineData("\\#notes", "#notes", true)]
    [InlineData("*.GO", "main.go", false)]                    // case-sensitive, as git is by default
    public void Pattern_MatchesAsGitDoes(string pattern, string path, bool matches) =>
        Assert.Equal(matches, GitignorePattern.Matches(pattern, path));

    [Fact]
    public void LastMatchingPatternDecides_AndANegationTakesAFileBack() =>
        Assert.Equal([true, false, true], new[] { "svc/a.go", "svc/a_test.go", "svc/keep_test.go" }
            .Select(p => GitignorePattern.Decide(["svc/", "!*_test.go", "keep_test.go"], p)));

    [Theory]
    [InlineData("", "an empty pattern matches nothing")]
    [InlineData("# a comment", "comment")]
    [InlineData("/", "names no file")]
    [InlineData("file[0-9.go", "not closed")]
    public void UnusablePatterns_AreRefusedWithTheReason(string pattern, string reason) =>
        Assert.Contains(reason, GitignorePattern.Problem(pattern));

    [Fact]
    public void Scope_CountsFilesOfItsPaths_NotIgnored_InItsModule_AndNotInANestedModule()
    {
        var scope = new PathScope(["svc/"], ["*_test.go"]) { Module = "svc", NestedModules = ["svc/inner"] };

        Assert.True(scope.Counts("svc/main.go"));
        Assert.False(scope.Counts("svc/main_test.go"));
        Assert.False(scope.Counts("svc/inner/main.go"));
        Assert.False(scope.Counts("svcx/main.go"));
        Assert.True(new PathScope([], []).Counts("anything/at/all.txt"));
    }
}
