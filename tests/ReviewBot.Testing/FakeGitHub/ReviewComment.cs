namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// A pull-request review comment as the fake stores it: an immutable snapshot, replaced (never mutated) when it is
/// edited or re-anchored by a push, so tests may hold on to one safely. <see cref="Line"/>/<see cref="StartLine"/>
/// are the current anchors on <see cref="CommitId"/> (null once outdated); the <c>Original…</c> fields never change.
/// </summary>
public sealed record ReviewComment
{
    public required long Id { get; init; }
    public required string Owner { get; init; }
    public required string Repo { get; init; }
    public required int PullNumber { get; init; }
    public required long ReviewId { get; init; }
    public required string Path { get; init; }
    /// <summary>"line" or "file".</summary>
    public string SubjectType { get; init; } = "line";
    public int? Line { get; init; }
    public required string Side { get; init; }
    public int? StartLine { get; init; }
    public string? StartSide { get; init; }
    public int? OriginalLine { get; init; }
    public int? OriginalStartLine { get; init; }
    public required string CommitId { get; init; }
    public required string OriginalCommitId { get; init; }
    public required string DiffHunk { get; init; }
    public required string Body { get; init; }
    public required FakeUser User { get; init; }
    public long? InReplyToId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public bool IsOutdated => SubjectType == "line" && Line is null;
    public string HtmlUrl => $"https://github.com/{Owner}/{Repo}/pull/{PullNumber}#discussion_r{Id}";
}

/// <summary>A submitted review with its comments as they were posted (later edits and pushes do not change them).</summary>
/// <param name="State">APPROVED, CHANGES_REQUESTED, COMMENTED or PENDING.</param>
public sealed record FakeReview(long Id, string Owner, string Repo, int PullNumber, string State, string Body, string CommitId,
    FakeUser User, DateTimeOffset? SubmittedAt, IReadOnlyList<ReviewComment> Comments);
