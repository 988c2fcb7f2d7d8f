using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Tests.Trust;

/// <summary>The trust decision for one push to a pull request (pure).</summary>
public class TrustRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static PullRequestOrigin Origin(string association = "FIRST_TIME_CONTRIBUTOR", string? fork = "newcomer/Hello-World", string host = CodeHostNames.GitHub) =>
        new(host, "Codertocat/Hello-World", 2, "abc123", "newcomer", Roles.IsTrustedAssociation(association), Roles.DescribeAssociation(association), fork);

    private static TrustPolicy Policy(ForkPolicy forks = ForkPolicy.RequireApproval, UntrustedPolicy untrusted = UntrustedPolicy.ApproveEveryPush, string? label = null) =>
        TrustPolicy.Default with { Forks = forks, Untrusted = untrusted, Label = label, NodeLabels = "sandbox" };

    private static readonly Approval ByOctocat = new("octocat", At, "/ok-to-test");

    [Fact]
    public void FirstTimeContributorsFork_Waits_AndTheReasonNamesTheAuthorTheRoleAndTheFork()
    {
        var d = TrustRules.Decide(Policy(), Origin(), Approvals.None);

        Assert.Equal(TrustVerdict.Wait, d.Verdict);
        Assert.Equal("waiting for `/ok-to-test` from a member or collaborator: author newcomer is a first-time contributor from fork newcomer/Hello-World", d.Reason);
        Assert.Equal("sandbox", d.NodeLabels);
    }

    [Theory]
    [InlineData("OWNER")]
    [InlineData("MEMBER")]
    [InlineData("COLLABORATOR")]
    [InlineData("member")]
    public void TrustedAuthorsFork_RunsTrusted(string association) =>
        Assert.Equal(TrustVerdict.Trusted, TrustRules.Decide(Policy(), Origin(association), Approvals.None).Verdict);

    [Theory]
    [InlineData("CONTRIBUTOR")]
    [InlineData("FIRST_TIME_CONTRIBUTOR")]
    [InlineData("FIRST_TIMER")]
    [InlineData("MANNEQUIN")]
    [InlineData("NONE")]
    [InlineData("")]
    [InlineData("SOMETHING_NEW")]
    public void EveryOtherAssociation_Waits(string association) =>
        Assert.Equal(TrustVerdict.Wait, TrustRules.Decide(Policy(), Origin(association), Approvals.None).Verdict);

    [Fact]
    public void ABranchOfTheRepositoryItself_RunsTrusted_WhoeverOpenedIt() =>
        Assert.Equal(TrustVerdict.Trusted, TrustRules.Decide(Policy(), Origin("NONE", fork: null), Approvals.None).Verdict);

    [Fact]
    public void ApprovedHead_RunsUntrusted_WithTheApproverInTheReason()
    {
        var d = TrustRules.Decide(Policy(), Origin(), new Approvals(ByOctocat, ByOctocat));

        Assert.Equal(TrustVerdict.Untrusted, d.Verdict);
        Assert.StartsWith("untrusted, approved by octocat (/ok-to-test)", d.Reason);
    }

    [Fact]
    public void NewPushAfterAnApproval_WaitsAgain_UnderApproveEveryPush()
    {
        var d = TrustRules.Decide(Policy(), Origin(), new Approvals(null, ByOctocat));

        Assert.Equal(TrustVerdict.Wait, d.Verdict);
        Assert.Contains("new commits by newcomer (a first-time contributor, fork newcomer/Hello-World) need approval again", d.Reason);
        Assert.Contains("octocat approved an earlier push", d.Reason);
    }

    [Fact]
    public void NewPushAfterAnApproval_RunsUntrusted_UnderTrustAfterFirstApproval()
    {
        var d = TrustRules.Decide(Policy(untrusted: UntrustedPolicy.TrustAfterFirstApproval), Origin(), new Approvals(null, ByOctocat));

        Assert.Equal(TrustVerdict.Untrusted, d.Verdict);
        Assert.Contains("trust-after-first-approval", d.Reason);
    }

    [Fact]
    public void ForksRunUntrusted_RunsAtOnce_Untrusted() =>
        Assert.Equal(TrustVerdict.Untrusted, TrustRules.Decide(Policy(ForkPolicy.RunUntrusted), Origin(), Approvals.None).Verdict);

    [Fact]
    public void ForksTrusted_RunsTrusted() =>
        Assert.Equal(TrustVerdict.Trusted, TrustRules.Decide(Policy(ForkPolicy.Trusted), Origin(), Approvals.None).Verdict);

    [Fact]
    public void TheApprovalLabel_IsNamedInTheReason_OnGitHubOnly()
    {
        Assert.Contains("(or the label `ok-to-test` added by someone with write access)", TrustRules.Decide(Policy(label: "ok-to-test"), Origin(), Approvals.None).Reason);
        var gitlab = TrustRules.Decide(Policy(label: "ok-to-test"), Origin(host: CodeHostNames.GitLab) with { AuthorRole = "a reporter" }, Approvals.None);
        Assert.Equal("waiting for `/ok-to-test` from a member with Developer access or more: author newcomer is a reporter from fork newcomer/Hello-World", gitlab.Reason);
    }

    [Fact]
    public void Apply_MarksTheTaskUntrusted_AndsTheFilters_AndHoldsItWaiting()
    {
        var task = Task("linux");

        var waiting = TrustRules.Decide(Policy(), Origin(), Approvals.None).Apply(task);
        var approved = TrustRules.Decide(Policy(), Origin(), new Approvals(ByOctocat, ByOctocat)).Apply(task);
        var trusted = TrustRules.Decide(Policy(), Origin("MEMBER"), Approvals.None).Apply(task);

        Assert.Equal((TaskState.Waiting, true, "(linux) && (sandbox)"), (waiting.State, waiting.Untrusted, waiting.NodeLabels));
        Assert.StartsWith("waiting for", waiting.PlacementReason);
        Assert.Equal((TaskState.Queued, true, "(linux) && (sandbox)"), (approved.State, approved.Untrusted, approved.NodeLabels));
        Assert.Same(task, trusted);
        Assert.Equal("sandbox", TrustRules.Decide(Policy(), Origin(), Approvals.None).Apply(Task("")).NodeLabels);
    }

    [Theory]
    [InlineData(null, false, "not a member of the project")]
    [InlineData(10, false, "a guest")]
    [InlineData(20, false, "a reporter")]
    [InlineData(29, false, "a reporter")]
    [InlineData(30, true, "a developer")]
    [InlineData(40, true, "a maintainer")]
    [InlineData(50, true, "an owner")]
    public void GitLabTrustsDeveloperAccessAndMore(int? level, bool trusted, string described)
    {
        Assert.Equal(trusted, level >= Roles.GitLabDeveloper);
        Assert.Equal(described, Roles.DescribeAccessLevel(level));
    }

    [Fact]
    public void UntrustedJobs_LoseTheirSecrets()
    {
        var job = new JobSpec("deploy", [new JobStep("s", "make")], new Dictionary<string, string> { ["A"] = "1" },
            new Dictionary<string, string> { ["TOKEN"] = "s3cr3t" }, TimeSpan.FromMinutes(1));
        var task = Task("") with { Job = job };

        Assert.Equal("s3cr3t", UntrustedWork.JobFor(task)!.Secrets["TOKEN"]);
        Assert.Empty(UntrustedWork.JobFor(task with { Untrusted = true })!.Secrets);
        Assert.Equal("1", UntrustedWork.JobFor(task with { Untrusted = true })!.Variables["A"]);
    }

    private static ReviewTask Task(string nodeLabels) => new()
    {
        Id = "pr-1", Repository = "Codertocat/Hello-World", CloneUrl = "https://github.com/Codertocat/Hello-World.git", HeadSha = "abc123",
        Linter = new LinterSpec("shellcheck", ["shellcheck"], [], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1)),
        NodeLabels = nodeLabels, CreatedAt = At,
    };
}
