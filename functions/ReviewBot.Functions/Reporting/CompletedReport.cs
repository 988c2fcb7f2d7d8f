using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Functions.Reporting;

/// <summary>A completed task's report, planned once by <see cref="ReportPipeline"/>: what the host renders and posts.</summary>
/// <param name="Plan">The findings to report, which of them are line comments, the conclusion.</param>
/// <param name="Changes">The changed lines the plan was made with; null when unknown (then nothing was filtered).</param>
/// <param name="Change">The change request as the host showed it (<see cref="ICodeHostReporter.ChangeAsync"/>); null
/// outside one.</param>
public sealed record CompletedReport(ReportPlan Plan, ChangedLines? Changes, HostChange? Change, string? TaskLink, int MaxComments)
{
    /// <summary>Lines the summary shows before its link: why line comments were not posted, the findings the host
    /// refused as line comments, those over the limit.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>What posting one run's line comments did, on any code host.</summary>
/// <param name="Posted">New comments posted.</param>
/// <param name="AlreadyPosted">Findings that already had their comment (found again by fingerprint).</param>
/// <param name="Closed">This linter's comments whose finding is gone, closed the host's way (GitHub: deleted;
/// GitLab: resolved, so replies and history stay).</param>
/// <param name="MarkedOutdated">Such comments kept because someone replied to them, and marked outdated.</param>
/// <param name="Refused">Findings the host refused as line comments, with its reason.</param>
/// <param name="Overflow">Findings over the per-run limit, not posted.</param>
public sealed record CommentOutcome(
    int Posted, int AlreadyPosted, int Closed, int MarkedOutdated, IReadOnlyList<RefusedComment> Refused, IReadOnlyList<PlannedFinding> Overflow)
{
    /// <summary>Nothing posted, and why (for the summary).</summary>
    public static CommentOutcome None(string why) => new(0, 0, 0, 0, [], []) { WhyNone = why };

    /// <summary>Comments whose finding is gone, closed by resolving their thread (GitHub, <c>fixed: resolve</c>).</summary>
    public int Resolved { get; init; }

    /// <summary>Resolved threads reopened because their finding came back (GitHub, <c>fixed: resolve</c>).</summary>
    public int Reopened { get; init; }

    /// <summary>Requests that posted the comments (GitHub: reviews of up to 30); 0 where each comment is its own.</summary>
    public int Requests { get; init; }

    /// <summary>The host listed <see cref="Overflow"/> itself (GitHub: in the review's body), so the summary need not.</summary>
    public bool OverflowListed { get; init; }

    /// <summary>Why no comment was posted at all (GitLab: the merge request has moved on to a newer head); null otherwise.</summary>
    public string? WhyNone { get; init; }

    /// <summary>What was done, in the host's words, for the report's note ("3 comment(s) posted in 1 review(s), …").</summary>
    public string Said { get; init; } = "";
}

/// <summary>A finding the code host refused as a line comment, and the host's reason.</summary>
public sealed record RefusedComment(PlannedFinding Finding, string Why);
