using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Tasks;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Functions.Ingest;

/// <summary>
/// A push to a change request becomes one task per linter that applies to the repository (per module of a monorepo
/// for a linter with <c>modules</c>; none for a linter with <c>paths</c>/<c>ignore</c> none of whose files changed:
/// <see cref="LinterRuns"/>), whatever the code host. The agent applies the same scope to the three-dot diff of base and
/// head: a linter none of whose languages changed ends as skipped there. Tasks are persisted before the delivery is acknowledged;
/// task ids are deterministic, so a redelivery creates nothing new. Whether and where a task is reported is decided
/// when it is published (Reporting/), not here.
/// </summary>
public sealed partial class ChangeRequestIngest(
    ReviewConfig config, RepositoryConfigs repositoryConfigs, LinterRuns runs, IEnumerable<IConfigCheckPublisher> configChecks,
    ConfigCheckStore postedChecks, TaskLifecycle tasks, TrustGate trust, TimeProvider time, ILogger<ChangeRequestIngest> log)
{
    /// <summary>Whether any linter applies to <paramref name="repository"/>. A host whose change facts cost API calls
    /// (GitLab: the base commit, the author's access level) asks first, and reads them only when it does.</summary>
    public bool Reviews(string repository) => config.LintersFor(repository).Count > 0;

    public async Task<IngestOutcome> IngestAsync(ChangeRequest change, CancellationToken ct)
    {
        // The repository's own file at the base commit, under the server's policy (or the server's alone).
        var repositoryConfig = await repositoryConfigs.ForAsync(change, ct);
        var linters = repositoryConfig.Linters;
        if (!repositoryConfig.Applies) await PublishConfigErrorsAsync(change, repositoryConfig, ct);
        if (linters.Count == 0) return IngestOutcome.None;
        // Forks of untrusted authors: untrusted, maybe waiting for approval (Trust/).
        var gate = await trust.DecideAsync(config.TrustFor(change.Repository), change.Origin, ct);
        var now = time.GetUtcNow();
        var ids = new List<string>();
        var created = 0;
        foreach (var run in await runs.PlanAsync(change, linters, ct))
        {
            var linter = run.Linter;
            var task = new ReviewTask
            {
                Id = change.TaskIdFor(run.Name),
                Repository = change.Repository,
                CloneUrl = change.CloneUrl,
                AllowLocal = change.AllowLocal,
                PullRequest = change.Number,
                HeadSha = change.HeadSha,
                HeadRef = change.HeadRef,
                BaseSha = change.BaseSha,
                BaseRef = change.BaseRef,
                Linter = run.Spec,
                NodeLabels = linter.NodeLabels.Text,
                Trigger = change.Trigger,
                DeliveryId = change.DeliveryId,
                InstallationId = change.InstallationId,
                ProjectId = change.ProjectId,
                SourceUpdatedAt = change.UpdatedAt,
                CreatedAt = now,
                Host = change.Host,
                Report = linter.Report,
            };
            if (await tasks.CreateAsync(gate.Apply(task), ct)) created++;
            ids.Add(task.Id);
        }
        // After the new tasks exist, so that a crash in between leaves work to do rather than none.
        var superseded = await tasks.SupersedeAsync(change.Repository, change.Number, change.HeadSha, change.UpdatedAt, ct, change.Host);
        LogIngested(log, change.DeliveryId, change.Name, created);
        return new IngestOutcome(ids, created, superseded) { Waiting = gate.Verdict == TrustVerdict.Wait ? gate.Reason : null };
    }

    /// <summary>The refused file's failed check on the head commit, once per (repository, head commit, errors) across
    /// instances and restarts (<see cref="ConfigCheckStore"/>); a failure to post it is logged, never fails the delivery,
    /// and releases the claim so the next delivery of that head, or the next push, tries again.</summary>
    private async Task PublishConfigErrorsAsync(ChangeRequest change, RepositoryConfig refused, CancellationToken ct)
    {
        if (configChecks.FirstOrDefault(p => p.Host == change.Host) is not { } publisher) return;
        if (await postedChecks.TryClaimAsync(change.Repository, change.HeadSha, refused.Errors, ct) is not { } claim) return;
        bool posted;
        try
        {
            posted = await publisher.PublishAsync(change, refused.Errors, ct);
        }
        catch (OperationCanceledException)
        {
            await postedChecks.ReleaseAsync(claim, CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            LogConfigCheckFailed(log, ex, change.Name);
            posted = false;
        }

        try
        {
            if (posted) await postedChecks.MarkPostedAsync(claim, ct);
            else await postedChecks.ReleaseAsync(claim, ct);
        }
        catch (Azure.RequestFailedException ex)
        {
            // The tasks matter more than the memory: a claim left unmarked is taken over after ClaimTimeout, so at
            // worst the check is posted once more.
            LogConfigCheckMemoryFailed(log, ex, change.Name);
        }
    }

    [LoggerMessage(EventId = 631, Level = LogLevel.Warning, Message = "Whether the reviewbot/config check of {ChangeRequest} was posted could not be stored")]
    private static partial void LogConfigCheckMemoryFailed(ILogger logger, Exception exception, string changeRequest);

    [LoggerMessage(EventId = 614, Level = LogLevel.Warning, Message = "The failed reviewbot/config check of {ChangeRequest} could not be posted")]
    private static partial void LogConfigCheckFailed(ILogger logger, Exception exception, string changeRequest);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Delivery {DeliveryId}: {ChangeRequest}, {Created} new task(s)")]
    private static partial void LogIngested(ILogger logger, string deliveryId, string changeRequest, int created);
}
