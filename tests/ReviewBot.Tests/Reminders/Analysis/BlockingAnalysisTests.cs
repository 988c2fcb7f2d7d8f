using System.Text.Json;
using ReviewBot.Functions.Reminders;
using ReviewBot.Functions.Reminders.Analysis;

namespace ReviewBot.Tests.Reminders.Analysis;

/// <summary>
/// The blocking rules and their order, first on snapshots mapped from real-shaped GitHub GraphQL and GitLab REST
/// answers (TestData/reminders; one pull request per rule), then on variations of one snapshot for what the fixtures
/// cannot show (latest review per reviewer, thresholds, mergers).
/// </summary>
public sealed class BlockingAnalysisTests
{
    private static readonly BlockingRules Rules = new(["ci-oncall"], [], TimeSpan.FromHours(1));
    private static readonly DateTimeOffset Now = ReminderFixtures.Now;

    private static DateTimeOffset T(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    public static TheoryData<int, BlockReason, string[], string, string[]> GitHubCases => new()
    {
        // draft beats a conflict and failing CI
        { 1, BlockReason.Draft, [], "2026-11-20T09:00:00Z", [] },
        // a conflict beats failing CI and a pending review request
        { 2, BlockReason.MergeConflict, ["bob"], "2026-11-23T08:00:00Z", [] },
        // failing CI beats changes requested; names the failing check run and the erroring status; since the first failure
        { 3, BlockReason.FailingCi, ["alice"], "2026-11-21T10:03:00Z", ["test", "ci/lint"] },
        // CI pending since 2026-11-21 (> 1 h) beats a review request: the CI owners
        { 4, BlockReason.CiStuck, ["ci-oncall"], "2026-11-21T10:02:00Z", ["e2e", "deploy/preview"] },
        // carol's change request is newer than the last commit: the author; dave's approval does not outweigh it
        { 5, BlockReason.ChangesRequested, ["alice"], "2026-11-22T09:00:00Z", ["carol"] },
        // a commit after carol's change request: carol, to look again, since that commit
        { 6, BlockReason.ReReviewNeeded, ["carol"], "2026-11-22T15:00:00Z", ["carol"] },
        // a user and a team requested; the team expands to its members without the author (erin) or duplicates
        { 7, BlockReason.ReviewRequested, ["carol", "frank"], "2026-11-20T09:00:00Z", ["acme/backend"] },
        { 8, BlockReason.ReadyToMerge, ["alice"], "2026-11-22T11:00:00Z", ["approved by carol"] },
        { 9, BlockReason.BehindBase, ["alice"], "2026-11-23T08:00:00Z", [] },
        // mergeable UNKNOWN: not guessed
        { 10, BlockReason.Undetermined, [], "2026-11-23T08:00:00Z", ["mergeability not computed yet"] },
        // approved by one, but the branch rule wants more (reviewDecision REVIEW_REQUIRED) and nobody is asked
        { 11, BlockReason.Nobody, [], "2026-11-23T08:00:00Z", [] },
        { 12, BlockReason.Nobody, [], "2026-11-23T08:00:00Z", [] },
    };

    [Theory]
    [MemberData(nameof(GitHubCases))]
    public void GitHubPullRequestsFromGraphQLAreBlockedOnWhomTheRulesSay(int number, BlockReason reason, string[] blockedOn, string since, string[] details)
    {
        var result = BlockingAnalysis.Analyze(ReminderFixtures.GitHub(number), Rules, Now);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(blockedOn, result.BlockedOn);
        Assert.Equal(T(since), result.Since);
        Assert.Equal(details, result.Details);
    }

    public static TheoryData<int, BlockReason, string[], string[]> GitLabCases => new()
    {
        { 1, BlockReason.Draft, [], [] },
        { 2, BlockReason.MergeConflict, ["alice"], [] },
        // the failed jobs are named, not the pipeline
        { 3, BlockReason.FailingCi, ["alice"], ["rspec 1/2", "eslint"] },
        // "requested changes" system note (2026-11-22) after the last commit (2026-11-21)
        { 4, BlockReason.ChangesRequested, ["alice"], ["carol"] },
        // one of two approvals given (dave); carol, unreviewed, is asked
        { 5, BlockReason.ReviewRequested, ["carol"], [] },
        { 6, BlockReason.ReadyToMerge, ["alice"], ["approved by carol"] },
        { 7, BlockReason.BehindBase, ["alice"], [] },
        { 8, BlockReason.Undetermined, [], ["mergeability not computed yet"] },
    };

    [Theory]
    [MemberData(nameof(GitLabCases))]
    public void GitLabMergeRequestsFromRestAreBlockedOnWhomTheRulesSay(int iid, BlockReason reason, string[] blockedOn, string[] details)
    {
        var result = BlockingAnalysis.Analyze(ReminderFixtures.GitLab(iid), Rules, Now);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(blockedOn, result.BlockedOn);
        Assert.Equal(details, result.Details);
    }

    [Fact]
    public void GitLabChangeRequestIsDatedByItsSystemNote()
    {
        var result = BlockingAnalysis.Analyze(ReminderFixtures.GitLab(4), Rules, Now);
        Assert.Equal(T("2026-11-22T09:00:00Z"), result.Since);
    }

    /// <summary>PR 12 of the fixture: open, mergeable, green, nobody asked, no reviews.</summary>
    private static PullRequestSnapshot Plain => ReminderFixtures.GitHub(12);

    private static Review R(string who, ReviewState state, string at) => new(who, state, T(at));

    [Fact]
    public void LaterApprovalSupersedesTheSameReviewersChangeRequest()
    {
        var pr = Plain with { Reviews = [R("carol", ReviewState.ChangesRequested, "2026-11-22T09:00:00Z"), R("carol", ReviewState.Approved, "2026-11-22T10:00:00Z")] };
        Assert.Equal(BlockReason.ReadyToMerge, BlockingAnalysis.Analyze(pr, Rules, Now).Reason);
    }

    [Fact]
    public void LaterChangeRequestSupersedesTheSameReviewersApproval()
    {
        // given out of order: the analysis replays them by time
        var pr = Plain with { Reviews = [R("carol", ReviewState.ChangesRequested, "2026-11-22T10:00:00Z"), R("carol", ReviewState.Approved, "2026-11-22T09:00:00Z")] };
        var result = BlockingAnalysis.Analyze(pr, Rules, Now);
        Assert.Equal(BlockReason.ChangesRequested, result.Reason);
        Assert.Equal(T("2026-11-22T10:00:00Z"), result.Since);
    }

    [Fact]
    public void CommentAfterChangeRequestChangesNothing()
    {
        var pr = Plain with { Reviews = [R("carol", ReviewState.ChangesRequested, "2026-11-22T09:00:00Z"), R("carol", ReviewState.Commented, "2026-11-22T10:00:00Z"), R("carol", ReviewState.Pending, "2026-11-22T11:00:00Z")] };
        Assert.Equal(BlockReason.ChangesRequested, BlockingAnalysis.Analyze(pr, Rules, Now).Reason);
    }

    [Fact]
    public void DismissalClearsTheReviewersDecision()
    {
        var pr = Plain with { Reviews = [R("carol", ReviewState.ChangesRequested, "2026-11-22T09:00:00Z"), R("carol", ReviewState.Dismissed, "2026-11-22T10:00:00Z")] };
        Assert.Equal(BlockReason.Nobody, BlockingAnalysis.Analyze(pr, Rules, Now).Reason);
    }

    [Fact]
    public void AuthorsOwnReviewsDoNotCount()
    {
        var pr = Plain with { Reviews = [R("alice", ReviewState.Approved, "2026-11-22T09:00:00Z")] };
        Assert.Equal(BlockReason.Nobody, BlockingAnalysis.Analyze(pr, Rules, Now).Reason);
    }

    [Fact]
    public void AnyUnansweredChangeRequestKeepsItWithTheAuthor()
    {
        // carol asked before the last commit (2026-11-21T10:00), dave after it
        var pr = Plain with { Reviews = [R("carol", ReviewState.ChangesRequested, "2026-11-21T09:00:00Z"), R("dave", ReviewState.ChangesRequested, "2026-11-22T09:00:00Z")] };
        var result = BlockingAnalysis.Analyze(pr, Rules, Now);
        Assert.Equal(BlockReason.ChangesRequested, result.Reason);
        Assert.Equal(["alice"], result.BlockedOn);
        Assert.Equal(["dave"], result.Details);
    }

    [Fact]
    public void ChangeRequestBeatsPendingReviewRequests()
    {
        var pr = Plain with { Reviews = [R("carol", ReviewState.ChangesRequested, "2026-11-21T09:00:00Z")], RequestedReviewers = ["dave"] };
        Assert.Equal(BlockReason.ReReviewNeeded, BlockingAnalysis.Analyze(pr, Rules, Now).Reason);
    }

    [Fact]
    public void CiPendingUnderTheThresholdBlocksNobodyAndLetsReviewsGoOn()
    {
        var pending = new CheckInfo("build", CiState.Pending, null, Now.AddMinutes(-59));
        var requested = Plain with { Ci = CiState.Pending, Checks = [pending], RequestedReviewers = ["carol"] };
        Assert.Equal(BlockReason.ReviewRequested, BlockingAnalysis.Analyze(requested, Rules, Now).Reason);

        var approved = Plain with { Ci = CiState.Pending, Checks = [pending], Reviews = [R("carol", ReviewState.Approved, "2026-11-22T09:00:00Z")] };
        Assert.Equal(BlockReason.Nobody, BlockingAnalysis.Analyze(approved, Rules, Now).Reason);

        Assert.Equal(BlockReason.CiStuck, BlockingAnalysis.Analyze(approved, Rules, Now.AddMinutes(2)).Reason);
    }

    [Fact]
    public void StuckCiWithoutConfiguredOwnersIsTheAuthors()
    {
        var pr = Plain with { Ci = CiState.Pending, Checks = [new CheckInfo("build", CiState.Pending, null, null)], LastCommitAt = Now.AddHours(-2) };
        var result = BlockingAnalysis.Analyze(pr, BlockingRules.Default, Now);
        Assert.Equal(BlockReason.CiStuck, result.Reason);
        Assert.Equal(["alice"], result.BlockedOn);
        Assert.Equal(Now.AddHours(-2), result.Since);
    }

    [Fact]
    public void ApprovedAndGreenGoesToTheConfiguredMergers()
    {
        var result = BlockingAnalysis.Analyze(ReminderFixtures.GitHub(8), Rules with { Mergers = ["release-bot", "lead"] }, Now);
        Assert.Equal(BlockReason.ReadyToMerge, result.Reason);
        Assert.Equal(["release-bot", "lead"], result.BlockedOn);
    }

    [Fact]
    public void ApprovedButBehindIsReadyToMergeAndSaysBehind()
    {
        var result = BlockingAnalysis.Analyze(ReminderFixtures.GitHub(8) with { BehindBase = true }, Rules, Now);
        Assert.Equal(BlockReason.ReadyToMerge, result.Reason);
        Assert.Contains("behind the base branch", result.Details);
    }

    [Fact]
    public void TeamWithoutKnownMembersStandsForItself()
    {
        var pr = Plain with { RequestedTeams = ["acme/infra"] };
        Assert.Equal(["acme/infra"], BlockingAnalysis.Analyze(pr, Rules, Now).BlockedOn);
    }

    [Fact]
    public void UnknownMergeabilityIsNotGuessedEvenWithFailingCi()
    {
        var pr = ReminderFixtures.GitHub(3) with { Mergeability = Mergeability.Unknown };
        Assert.Equal(BlockReason.Undetermined, BlockingAnalysis.Analyze(pr, Rules, Now).Reason);
        Assert.Equal(BlockReason.Draft, BlockingAnalysis.Analyze(pr with { Draft = true }, Rules, Now).Reason);
    }

    [Theory]
    [InlineData("approved", ReviewState.Approved)]
    [InlineData("APPROVED", ReviewState.Approved)]
    [InlineData("changes_requested", ReviewState.ChangesRequested)]
    [InlineData("CHANGES_REQUESTED", ReviewState.ChangesRequested)]
    [InlineData("Commented", ReviewState.Commented)]
    [InlineData("dismissed", ReviewState.Dismissed)]
    [InlineData("PENDING", ReviewState.Pending)]
    public void ReviewStatesParseInAnyCase(string text, ReviewState expected) => Assert.Equal(expected, ReviewStates.Parse(text));

    [Fact]
    public void UnknownReviewStateIsRefused()
    {
        Assert.Throws<FormatException>(() => ReviewStates.Parse("approve"));
        Assert.False(ReviewStates.TryParse(null, out _));
    }

    [Theory]
    [InlineData("pull_request_review.submitted.json", ReviewState.Commented)]
    [InlineData("pull_request_review.dismissed.json", ReviewState.Dismissed)]
    public void WebhookReviewStatesAreLowercaseAndParse(string fixture, ReviewState expected)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReminderFixtures.PathOf(fixture)));
        var state = doc.RootElement.GetProperty("review").GetProperty("state").GetString()!;
        Assert.Equal(state.ToLowerInvariant(), state);
        Assert.Equal(expected, ReviewStates.Parse(state));
    }
}
