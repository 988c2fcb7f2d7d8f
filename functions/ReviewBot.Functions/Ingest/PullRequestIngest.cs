using Octokit.Webhooks.Events;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Reporting;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Ingest;

/// <summary>
/// A pull request event becomes one task per linter that applies to the repository. Which changed files a linter
/// reviews is decided on the agent, from the three-dot diff of base and head: a linter none of whose languages
/// changed ends as skipped there. Tasks are persisted before the delivery is acknowledged.
/// </summary>
public sealed class PullRequestIngest(ReviewConfig config, TaskCoordinator tasks, ReportPublisher reports, Trust.TrustGate trust, WebhookSource sources, TimeProvider time)
{
    /// <summary>Actions that put new code in front of reviewers.</summary>
    public static readonly IReadOnlySet<string> ReviewActions = new HashSet<string>(StringComparer.Ordinal) { "opened", "synchronize", "reopened", "ready_for_review" };

    public static bool NeedsReview(PullRequestEvent e) =>
        e.Action is { } a && ReviewActions.Contains(a) && e.PullRequest is { Draft: false, State.StringValue: "open" or null };

    public async Task<IngestOutcome> IngestAsync(PullRequestEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        var cloneUrl = e.Repository.CloneUrl ?? throw new WebhookPayloadException("repository.clone_url", "is missing");
        var pr = e.PullRequest ?? throw new WebhookPayloadException("pull_request", "is missing");
        var head = pr.Head?.Sha ?? throw new WebhookPayloadException("pull_request.head.sha", "is missing");
        var allowLocal = sources.CheckPullRequest(e);
        var now = time.GetUtcNow();
        var gate = await trust.DecideAsync(e, ct); // forks of untrusted authors: untrusted, maybe waiting (Trust/)
        var ids = new List<string>();
        var created = 0;
        foreach (var linter in config.LintersFor(repo))
        {
            var task = new ReviewTask
            {
                Id = TaskIds.ForPullRequest(repo, (int)pr.Number, head, linter.Name),
                Repository = repo,
                CloneUrl = cloneUrl,
                AllowLocal = allowLocal,
                PullRequest = (int)pr.Number,
                HeadSha = head,
                HeadRef = pr.Head.Ref,
                BaseSha = pr.Base?.Sha,
                BaseRef = pr.Base?.Ref,
                Linter = new ReviewBot.Contracts.Agents.LinterSpec(linter.Name, linter.Command, linter.Args, linter.Env, linter.WorkDir, linter.Format, linter.Languages, linter.Timeout),
                NodeLabels = linter.NodeLabels.Text,
                Trigger = $"github pull_request.{e.Action} #{pr.Number}",
                DeliveryId = deliveryId,
                InstallationId = e.Installation?.Id,
                SourceUpdatedAt = pr.UpdatedAt,
                CreatedAt = now,
                Host = CodeHostNames.GitHub,
                Report = linter.Report,
                Reporting = reports.WhyNotReported(CodeHostNames.GitHub, linter.Report) is { } why ? ReportProgress.Off(why) : new(),
            };
            if (await tasks.CreateAsync(gate.Apply(task), ct)) created++;
            ids.Add(task.Id);
        }
        // After the new tasks exist, so that a crash in between leaves work to do rather than none.
        var superseded = await tasks.SupersedeAsync(repo, (int)pr.Number, head, pr.UpdatedAt, ct);
        return new IngestOutcome(ids, created, superseded) { Waiting = gate.Verdict == Trust.TrustVerdict.Wait && ids.Count > 0 ? gate.Reason : null };
    }
}

public sealed record IngestOutcome(IReadOnlyList<string> TaskIds, int Created, int Superseded)
{
    /// <summary>Why the tasks wait for approval instead of running (Trust/TrustRules.cs); null when they run.</summary>
    public string? Waiting { get; init; }
}

/// <summary>A delivery whose payload lacks what the event needs: the sender's mistake, answered with 400.</summary>
public sealed class WebhookPayloadException(string field, string problem) : Exception($"{field} {problem}")
{
    public string Field { get; } = field;
}
