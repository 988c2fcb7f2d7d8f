using ReviewBot.Core.Jobs;

namespace ReviewBot.Functions.Jobs.Scheduling;

/// <summary>
/// Poll triggers: reads each watched branch's head from the code host (<see cref="IBranchHeads"/>) and fires when it
/// differs from the head last seen (stored per job in <see cref="ScheduleStore"/>, kind "poll"). The first head seen is
/// only recorded.
/// The firing key is "poll:&lt;sha&gt;", so a head is fired once per job whoever polls it; the stored head moves
/// only after the firing, so a crash in between fires the same (deduplicated) key again rather than losing it.
/// </summary>
public sealed class BranchPoller(IBranchHeads heads, ScheduleStore store, JobLauncher launcher, ILogger<BranchPoller> log)
{
    public async Task<IReadOnlyList<ScheduledFiring>> PollAsync(IReadOnlyList<JobDefinition> jobs, LeaderLease lease, DateTimeOffset now, CancellationToken ct)
    {
        var fired = new List<ScheduledFiring>();
        foreach (var job in jobs)
        {
            if (!lease.IsLeader) break;
            var branch = string.IsNullOrWhiteSpace(job.Trigger.Branch) ? job.Ref : job.Trigger.Branch.Trim();
            try
            {
                var sha = await heads.HeadAsync(job.Repository, branch, ct);
                var state = await store.GetAsync(ScheduleStore.Poll, job.Name, ct);
                var signature = $"{job.Repository}|{branch}";
                if (state is null || state.Signature != signature)
                {
                    var fresh = new ScheduleState(ScheduleStore.Poll, job.Name, now, signature, sha, state?.ETag ?? default);
                    _ = state is null ? await store.TryAddAsync(fresh, ct) : await store.TryUpdateAsync(fresh, ct);
                    continue;
                }
                if (string.Equals(state.Sha, sha, StringComparison.OrdinalIgnoreCase) || !lease.IsLeader) continue;
                var firing = new JobFiring($"poll:{sha}", $"poll {job.Repository}@{branch} {sha[..Math.Min(7, sha.Length)]}", branch, sha);
                var launch = await launcher.FireAsync(job, firing, ct);
                fired.Add(new ScheduledFiring(job.Name, now, launch));
                SchedulingLog.Fired(log, job.Name, launch.Outcome.ToString(), firing.Description, launch.TaskId);
                await store.TryUpdateAsync(state with { Sha = sha, Cursor = now }, ct);
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or InvalidOperationException or ArgumentException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                SchedulingLog.PollFailed(log, job.Name, job.Repository, branch, e.Message);
            }
        }
        return fired;
    }
}
