namespace ReviewBot.Functions.Reminders.Analysis;

/// <summary>
/// Whose move it is on one pull request: a pure function of its <see cref="PullRequestSnapshot"/>. The rules are
/// tried in this order and the first that matches decides (research §4.6, from Prow, GitHub's scheduled reminders,
/// Axolo and PullPro):
/// <list type="number">
/// <item>draft → nobody (<see cref="BlockReason.Draft"/>);</item>
/// <item>mergeability not computed yet → nobody for now (<see cref="BlockReason.Undetermined"/>; the readers re-read
/// it once, nothing is guessed); merge conflict → the author;</item>
/// <item>failing CI on the head → the author, naming the failing checks;</item>
/// <item>CI pending longer than <see cref="BlockingRules.CiPendingThreshold"/> → the CI owners (the author when none);</item>
/// <item>a reviewer's latest decision is "changes requested" with no commit since → the author;</item>
/// <item>every such request has commits since → those reviewers, to look again;</item>
/// <item>requested reviewers who have not answered (a team stands for its members) → those reviewers;</item>
/// <item>approved (and the host's approval rule met), CI green → the mergers, else the author;</item>
/// <item>behind the base branch where protection requires it → the author;</item>
/// <item>otherwise nobody (<see cref="BlockReason.Nobody"/>).</item>
/// </list>
/// "Latest review per reviewer": reviews are replayed in time order; Approved and ChangesRequested set the
/// reviewer's decision, Commented and Pending leave it, Dismissed clears it. The author's own reviews never count.
/// <see cref="Blocking.Since"/> is when the blocking state began, as far as the snapshot tells.
/// </summary>
public static class BlockingAnalysis
{
    public static Blocking Analyze(PullRequestSnapshot pr, BlockingRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pr);
        ArgumentNullException.ThrowIfNull(rules);
        string[] author = [pr.Author];

        if (pr.Draft)
            return new(pr, BlockReason.Draft, [], pr.CreatedAt, []);

        if (pr.Mergeability == Mergeability.Unknown)
            return new(pr, BlockReason.Undetermined, [], pr.LastActivityAt, ["mergeability not computed yet"]);
        if (pr.Mergeability == Mergeability.Conflicting)
            return new(pr, BlockReason.MergeConflict, author, pr.LastActivityAt, []);

        if (pr.Ci == CiState.Failure)
        {
            var failing = pr.Checks.Where(c => c.State == CiState.Failure).ToList();
            return new(pr, BlockReason.FailingCi, author, Earliest(failing) ?? pr.LastCommitAt,
                failing.Count > 0 ? [.. failing.Select(c => c.Name)] : ["CI failed"]);
        }

        if (pr.Ci == CiState.Pending)
        {
            var pending = pr.Checks.Where(c => c.State == CiState.Pending).ToList();
            var since = Earliest(pending) ?? pr.LastCommitAt;
            if (now - since > rules.CiPendingThreshold)
                return new(pr, BlockReason.CiStuck, rules.CiOwners.Count > 0 ? rules.CiOwners : author, since, [.. pending.Select(c => c.Name)]);
        }

        var decisions = LatestDecisions(pr);
        var changeRequests = decisions.Where(d => d.Value.State == ReviewState.ChangesRequested).ToList();
        if (changeRequests.Count > 0)
        {
            var unanswered = changeRequests.Where(d => pr.LastCommitAt <= d.Value.At).ToList();
            if (unanswered.Count > 0)
                return new(pr, BlockReason.ChangesRequested, author, unanswered.Min(d => d.Value.At), [.. unanswered.Select(d => d.Key)]);
            return new(pr, BlockReason.ReReviewNeeded, [.. changeRequests.Select(d => d.Key)], pr.LastCommitAt, [.. changeRequests.Select(d => d.Key)]);
        }

        var requested = RequestedReviewers(pr);
        if (requested.Count > 0)
            return new(pr, BlockReason.ReviewRequested, requested, pr.CreatedAt, [.. pr.RequestedTeams]);

        var approvals = decisions.Where(d => d.Value.State == ReviewState.Approved).ToList();
        if (approvals.Count > 0 && pr.ApprovalRequirementMet != false && pr.Ci is CiState.Success or CiState.None)
        {
            var since = approvals.Max(d => d.Value.At);
            if (pr.LastCommitAt > since) since = pr.LastCommitAt;
            List<string> details = [.. approvals.Select(d => $"approved by {d.Key}")];
            if (pr.BehindBase) details.Add("behind the base branch");
            return new(pr, BlockReason.ReadyToMerge, rules.Mergers.Count > 0 ? rules.Mergers : author, since, details);
        }

        if (pr.BehindBase)
            return new(pr, BlockReason.BehindBase, author, pr.LastActivityAt, []);

        return new(pr, BlockReason.Nobody, [], pr.LastActivityAt, []);
    }

    /// <summary>Each reviewer's standing decision (Approved or ChangesRequested) and when it was given; reviewers in first-review order.</summary>
    public static IReadOnlyList<KeyValuePair<string, (ReviewState State, DateTimeOffset At)>> LatestDecisions(PullRequestSnapshot pr)
    {
        var order = new List<string>();
        var decisions = new Dictionary<string, (ReviewState, DateTimeOffset)>(StringComparer.OrdinalIgnoreCase);
        foreach (var review in pr.Reviews.OrderBy(r => r.SubmittedAt))
        {
            if (review.Author.Equals(pr.Author, StringComparison.OrdinalIgnoreCase)) continue;
            switch (review.State)
            {
                case ReviewState.Approved or ReviewState.ChangesRequested:
                    if (!decisions.ContainsKey(review.Author) && !order.Contains(review.Author, StringComparer.OrdinalIgnoreCase)) order.Add(review.Author);
                    decisions[review.Author] = (review.State, review.SubmittedAt);
                    break;
                case ReviewState.Dismissed:
                    decisions.Remove(review.Author);
                    break;
            }
        }
        return [.. order.Where(decisions.ContainsKey).Select(a => KeyValuePair.Create(a, decisions[a]))];
    }

    /// <summary>Requested users, then the members of requested teams (a team with no known members stands for itself), without the author or duplicates.</summary>
    public static IReadOnlyList<string> RequestedReviewers(PullRequestSnapshot pr)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { pr.Author };
        var result = new List<string>();
        foreach (var user in pr.RequestedReviewers)
            if (seen.Add(user)) result.Add(user);
        foreach (var team in pr.RequestedTeams)
        {
            if (pr.TeamMembers.TryGetValue(team, out var members) && members.Count > 0)
            {
                foreach (var member in members)
                    if (seen.Add(member)) result.Add(member);
            }
            else if (seen.Add(team)) result.Add(team);
        }
        return result;
    }

    private static DateTimeOffset? Earliest(IEnumerable<CheckInfo> checks) =>
        checks.Select(c => c.StartedAt).Where(t => t is not null).Min();
}
