using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Functions.Jobs;

/// <summary>
/// A code host's event that may start jobs, as its host's mapping read it: every field already checked there (names
/// through <see cref="SourceRules"/>, the clone URL on the host's configured server). Events of any host look alike.
/// </summary>
/// <param name="Kind"><see cref="JobTriggerKind.PrMerged"/>, <see cref="JobTriggerKind.TagCreated"/> or <see cref="JobTriggerKind.Push"/>.</param>
/// <param name="Host">The code host (<see cref="ReviewTask.Host"/>): the runs are its tasks and get its clone credential.</param>
/// <param name="Repository">As the host names it (<c>owner/name</c>, <c>group/subgroup/project</c>); jobs match it ignoring case.</param>
/// <param name="Ref">PrMerged: the target branch; Push: the pushed branch; TagCreated: the tag. The runs check it out.</param>
/// <param name="FiringKey">One per event, whoever delivers it how often: the runs' ids derive from it, so a redelivery
/// (or the same tag seen through two events) fires once.</param>
/// <param name="Description">For people: what happened, and the delivery.</param>
public sealed record JobEvent(JobTriggerKind Kind, string Host, string Repository, string Ref, string FiringKey, string Description)
{
    /// <summary>PrMerged: the merged (source) branch.</summary>
    public string? SourceBranch { get; init; }

    /// <summary>The commit the runs check out (merge commit, pushed head); null = <see cref="Ref"/>'s head when cloned.</summary>
    public string? Sha { get; init; }

    /// <summary>The repository's clone URL as the event names it, accepted by the host's checks; null when it names
    /// none the server accepts (then the repository's file is not read, and server jobs clone from <see cref="IJobSources"/>).</summary>
    public string? CloneUrl { get; init; }

    /// <summary>What the host's check said of <see cref="CloneUrl"/>: a local path (tests and demos only).</summary>
    public bool AllowLocal { get; init; }

    public long? ProjectId { get; init; }
    public long? InstallationId { get; init; }

    /// <summary>The repository's default branch, where its file's jobs are read; null = the file is not read.</summary>
    public string? DefaultBranch { get; init; }
}

/// <summary>
/// Fires the jobs an event starts: the server's (<see cref="IJobCatalog"/>, listed once) and those of the repository's
/// own file at its default branch (<see cref="RepositoryJobs"/>, read once per event; a server job of the same name
/// wins), each enabled job whose trigger is the event's kind, whose repository is the event's, and whose patterns match
/// (<see cref="TriggerPattern"/>: prMerged source and target branches, tagCreated the tag, push the branch). Each
/// fires through <see cref="JobLauncher"/> under the event's firing key, so a redelivery creates no second run.
/// </summary>
public sealed class JobEvents(IJobCatalog catalog, JobLauncher launcher, RepositoryJobs repositoryJobs)
{
    /// <summary>The ids of the runs the event created or had already created (a job skipped while active has none).</summary>
    public async Task<IReadOnlyList<string>> FireAsync(JobEvent e, CancellationToken ct)
    {
        var firing = new JobFiring(e.FiringKey, e.Description, e.Ref, e.Sha);
        var on = new JobRunSource(e.Host, e.CloneUrl, e.ProjectId, e.InstallationId, e.AllowLocal);
        var ids = new List<string>();
        var server = await catalog.ListAsync(ct);
        foreach (var job in server.Concat(await RepositoryJobsAsync(e, server, ct)))
        {
            if (!Matches(job, e)) continue;
            var launch = await launcher.FireAsync(job, firing, ct, on: on);
            if (launch.Outcome != LaunchOutcome.SkippedWhileActive) ids.Add(launch.TaskId);
        }
        return ids;
    }

    /// <summary>Whether <paramref name="e"/> starts <paramref name="job"/>.</summary>
    public static bool Matches(JobDefinition job, JobEvent e) =>
        job.Enabled && job.Trigger.Kind == e.Kind && string.Equals(job.Repository, e.Repository, StringComparison.OrdinalIgnoreCase) && e.Kind switch
        {
            JobTriggerKind.PrMerged => TriggerPattern.BranchMatches(job.Trigger.SourceBranch, e.SourceBranch ?? "")
                                       && TriggerPattern.BranchMatches(job.Trigger.TargetBranch, e.Ref),
            JobTriggerKind.TagCreated => TriggerPattern.TagMatches(job.Trigger.Tag, e.Ref),
            JobTriggerKind.Push => TriggerPattern.BranchMatches(job.Trigger.Branch, e.Ref),
            _ => false,
        };

    /// <summary>The jobs of the repository's own file at its default branch; none when the event names no accepted
    /// clone URL or no default branch.</summary>
    private async Task<IReadOnlyList<JobDefinition>> RepositoryJobsAsync(JobEvent e, IReadOnlyList<JobDefinition> server, CancellationToken ct)
    {
        if (e is not { CloneUrl: { } cloneUrl, DefaultBranch: { } branch } || !SourceRules.IsRefName(branch)) return [];
        var source = new ChangeRequest
        {
            Host = e.Host,
            Repository = e.Repository,
            Number = 0,
            Name = e.Repository,
            ProjectId = e.ProjectId,
            InstallationId = e.InstallationId,
            HeadSha = e.Sha ?? "",
            CloneUrl = cloneUrl,
            AllowLocal = e.AllowLocal,
            Trigger = e.Description,
            DeliveryId = e.FiringKey,
            Origin = new PullRequestOrigin(e.Host, e.Repository, 0, e.Sha ?? "", "", true, "", null),
            TaskIdFor = _ => "",
        };
        // A push to (or a merge into) the default branch names its new head: read there, once per commit.
        var at = e.Ref == branch && e.Kind != JobTriggerKind.TagCreated && e.Sha is { } sha && SourceRules.IsSha(sha) ? sha : branch;
        return await repositoryJobs.ForAsync(source, at, server, ct);
    }
}
