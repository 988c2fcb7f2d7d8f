namespace ReviewBot.Core.Review;

/// <summary>A comment already on the pull request that carries a ReviewBot marker.</summary>
/// <param name="Id">The host's id of the comment (GitHub review comment id; GitLab discussion id).</param>
/// <param name="HasReplies">Someone answered it: it must not be deleted.</param>
/// <param name="Closed">Already marked outdated (GitHub) or resolved (GitLab).</param>
public sealed record PostedComment(string Id, string Fingerprint, string Linter, bool HasReplies, bool Closed)
{
    /// <summary>Closed by ReviewBot itself in a way it can undo (GitHub: a review thread it resolved): when the finding
    /// comes back, the comment is reopened (<see cref="CommentChanges.Reopen"/>) rather than posted again.</summary>
    public bool Reopenable { get; init; }
}

/// <summary>What to change on the pull request so that its comments match one linter run.</summary>
/// <param name="ToPost">Findings with no live comment yet.</param>
/// <param name="Stale">This linter's live comments whose finding is gone: delete, or close when someone replied.</param>
/// <param name="AlreadyPosted">How many findings already have a live comment (not posted again).</param>
public sealed record CommentChanges(IReadOnlyList<PlannedFinding> ToPost, IReadOnlyList<PostedComment> Stale, int AlreadyPosted)
{
    /// <summary>Reopenable closed comments whose finding is back (counted in <see cref="AlreadyPosted"/>, not posted).</summary>
    public IReadOnlyList<PostedComment> Reopen { get; init; } = [];
}

/// <summary>
/// Matches a run's commentable findings to the comments already posted, by fingerprint only — never by line, so a
/// finding that moved keeps its comment and is not posted twice. Only comments owned by the same linter are
/// considered stale: another linter's comments are never touched. A closed comment does not count as posted (a
/// finding that comes back after its comment was marked outdated gets a fresh one), unless ReviewBot closed it in a way
/// it can undo (<see cref="PostedComment.Reopenable"/>): then that comment is reopened, its thread and replies intact.
/// </summary>
public static class CommentSync
{
    public static CommentChanges Plan(string linter, IEnumerable<PlannedFinding> commentable, IEnumerable<PostedComment> existing)
    {
        var mine = existing.Where(c => string.Equals(c.Linter, linter, StringComparison.Ordinal)).ToList();
        var live = mine.Where(c => !c.Closed).Select(c => c.Fingerprint).ToHashSet(StringComparer.Ordinal);
        var reopenable = mine.Where(c => c.Closed && c.Reopenable).GroupBy(c => c.Fingerprint, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var toPost = new List<PlannedFinding>();
        var reopen = new List<PostedComment>();
        var already = 0;
        foreach (var f in commentable)
        {
            wanted.Add(f.Fingerprint);
            if (live.Contains(f.Fingerprint)) already++;
            else if (reopenable.TryGetValue(f.Fingerprint, out var closed))
            {
                reopen.Add(closed);
                already++;
            }
            else toPost.Add(f);
        }
        var stale = mine.Where(c => !c.Closed && !wanted.Contains(c.Fingerprint)).ToList();
        return new CommentChanges(toPost, stale, already) { Reopen = reopen };
    }
}
