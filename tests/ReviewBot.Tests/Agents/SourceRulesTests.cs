using System.Diagnostics;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Tests.Agents;

/// <summary>The rules of a task's source, shared by the server and the agent, checked against git itself.</summary>
public class SourceRulesTests
{
    public static TheoryData<string> Names => new()
    {
        "main", "feature/x", "refs/heads/main", "refs/tags/v1.0", "v1.0.0", "release-1.2", "é-branch", "a@b", "x+y",
        "", "-n", "--upload-pack=touch /tmp/x", "--upload-pack=touch${IFS}/tmp/x", "main:refs/heads/x", "main~1", "main^", "a..b",
        "x.lock", "a/.b", ".hidden", "a/", "/a", "a//b", "a.", "@", "a@{1}", "a b", "a\tb", "a?", "a*", "a[", "a\\b", "+main",
    };

    /// <summary>Whatever <c>git check-ref-format --allow-onelevel</c> refuses is refused; besides, a leading '+' (a forced
    /// refspec to git fetch) is refused although git allows it as a name.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void IsRefName_AgreesWithGitCheckRefFormat_AndRefusesOptionsAndForcedRefspecs(string name)
    {
        var git = name.Length > 0 && name[0] != '-' && CheckRefFormat(name);
        var expected = git && name[0] != '+';

        Assert.Equal(expected, SourceRules.IsRefName(name));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567", true)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567", true)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456", false)]
    [InlineData("HEAD", false)]
    [InlineData("--output=/tmp/x", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456g", false)]
    public void IsSha_TakesFullHexCommitIdsOnly(string sha, bool valid) => Assert.Equal(valid, SourceRules.IsSha(sha));

    [Theory]
    [InlineData("https://github.com/acme/app.git", CloneUrlKind.Https, "github.com", 443)]
    [InlineData("https://x-access-token:t0k@GitHub.com/acme/app.git", CloneUrlKind.Https, "github.com", 443)]
    [InlineData("https://ghe.example:8443/acme/app.git", CloneUrlKind.Https, "ghe.example", 8443)]
    [InlineData("ssh://git@github.com/acme/app.git", CloneUrlKind.Ssh, "github.com", null)]
    [InlineData("ssh://git@github.com:2222/acme/app.git", CloneUrlKind.Ssh, "github.com", 2222)]
    [InlineData("git@github.com:acme/app.git", CloneUrlKind.Ssh, "github.com", null)]
    [InlineData("http://127.0.0.1:21199/x.git", CloneUrlKind.Http, "127.0.0.1", 21199)]
    [InlineData("git://github.com/acme/app.git", CloneUrlKind.Git, "github.com", null)]
    [InlineData("file:///srv/git/app.git", CloneUrlKind.Local, null, null)]
    [InlineData("/srv/git/app.git", CloneUrlKind.Local, null, null)]
    [InlineData("/srv/git/a:b.git", CloneUrlKind.Local, null, null)]
    [InlineData(@"C:\git\app.git", CloneUrlKind.Local, null, null)]
    public void ParseCloneUrl_TakesAUrlApartAsGitWould(string url, CloneUrlKind kind, string? host, int? port)
    {
        var shape = SourceRules.ParseCloneUrl(url, out var problem);

        Assert.True(shape is not null, problem);
        Assert.Equal(new CloneUrlShape(kind, host, port), shape);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("--upload-pack=touch /tmp/x", "starts with '-'")]
    [InlineData("-u touch /tmp/x", "starts with '-'")]
    [InlineData("ext::sh -c touch% /tmp/x", "remote-helper")]
    [InlineData("fd::0", "remote-helper")]
    [InlineData("transport::https://github.com/acme/app.git", "remote-helper")]
    [InlineData("foo://github.com/acme/app.git", "'foo' scheme")]
    [InlineData("ssh://-oProxyCommand=x/repo", "")]
    [InlineData("-oProxyCommand=x:repo", "starts with '-'")]
    [InlineData("git@-oProxyCommand=x:repo", "scp-style")]
    [InlineData("-@host:repo", "starts with '-'")]
    [InlineData("host:-repo", "scp-style")]
    [InlineData("repos/app.git", "absolute path")]
    [InlineData("file://evil.example/app.git", "another host")]
    [InlineData(" https://github.com/acme/app.git", "white space")]
    [InlineData("https://github.com/acme/app.git\n--upload-pack=x", "control character")]
    [InlineData("https://github.com\\@evil.example/x.git", "not a valid URL")]
    public void ParseCloneUrl_RefusesOptionsHelpersAndStrangeHosts(string url, string problem)
    {
        Assert.Null(SourceRules.ParseCloneUrl(url, out var why));
        Assert.Contains(problem, why);
    }

    [Theory]
    [InlineData("https://github.com/acme/app.git", false, null)]
    [InlineData("git@github.com:acme/app.git", false, null)]
    [InlineData("/srv/app.git", false, "own disk")]
    [InlineData("file:///srv/app.git", false, "own disk")]
    [InlineData("http://github.com/acme/app.git", false, "https or ssh only")]
    [InlineData("/srv/app.git", true, null)]
    [InlineData("http://github.com/acme/app.git", true, null)]
    [InlineData("ext::sh -c x", true, "remote-helper")]
    public void Problem_AllowsLocalAndPlainTransportsOnlyWithAllowLocal(string url, bool allowLocal, string? problem)
    {
        var source = new SourceSpec("acme/app", url, new string('a', 40), "main", null, null, null, null) { AllowLocal = allowLocal };

        var said = SourceRules.Problem(source);

        if (problem is null) Assert.Null(said);
        else Assert.Contains(problem, said);
    }

    private static bool CheckRefFormat(string name)
    {
        var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "check-ref-format", "--allow-onelevel", name }) info.ArgumentList.Add(a);
        using var git = Process.Start(info)!;
        git.WaitForExit(10_000);
        return git.ExitCode == 0;
    }
}
