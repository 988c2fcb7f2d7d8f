using System.Collections.Concurrent;
using Octokit;
using ReviewBot.Core.Jobs;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;

namespace ReviewBot.Functions.Jobs.Scheduling;

/// <summary>
/// Poll triggers: reads each watched branch's head through the GitHub API and fires when it differs from the head
/// last seen (stored per job in <see cref="ScheduleStore"/>, kind "poll"). The first head seen is only recorded.
/// The firing key is "poll:&lt;sha&gt;", so a head is fired once per job whoever polls it; the stored head moves
/// only after the firing, so a crash in between fires the same (deduplicated) key again rather than losing it.
/// As a GitHub App the repository's installation is looked up once per repository.
/// </summary>
public sealed class BranchPoller(IGitHubClientFactory github, GitHubAppClients apps, ScheduleStore store, JobLauncher launcher, ILogger<BranchPoller> log)
{
    private readonly ConcurrentDictionary<string, long> _installations = new(StringComparer.OrdinalIgnoreCase);

    public async Task<IReadOnlyList<ScheduledFiring>> PollAsync(IReadOnlyList<JobDefinition> jobs, LeaderLease lease, DateTimeOffset now, CancellationToken ct)
    {
        var fired = new List<ScheduledFiring>();
        foreach (var job in jobs)
        {
            if (!lease.IsLeader) break;
            var branch = string.IsNullOrWhiteSpace(job.Trigger.Branch) ? job.Ref : job.Trigger.Branch.Trim();
            try
            {
                var sha = await HeadAsync(job.Repository, branch, ct);
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
            catch (Exception e) when (e is ApiException or Azure.RequestFailedException or HttpRequestException or InvalidOperationException or ArgumentException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                SchedulingLog.PollFailed(log, job.Name, job.Repository, branch, e.Message);
            }
        }
        return fired;
    }

    private async Task<string> HeadAsync(string repository, string branch, CancellationToken ct)
    {
        var (owner, name) = Split(repository);
        long? installation = null;
        if (github.IsApp)
        {
            if (!_installations.TryGetValue(repository, out var id))
                _installations[repository] = id = await apps.InstallationIdAsync(owner, name, ct);
            installation = id;
        }
        var client = await github.ForInstallationAsync(installation, ct);
        var found = await client.Repository.Branch.Get(owner, name, branch);
        return found.Commit?.Sha ?? throw new InvalidOperationException($"branch {branch} of {repository} has no head commit");
    }

    private static (string Owner, string Name) Split(string repository)
    {
        var slash = repository.IndexOf('/');
        if (slash <= 0 || slash == repository.Length - 1) throw new ArgumentException($"'{repository}' is not owner/name");
        return (repository[..slash], repository[(slash + 1)..]);
    }
}

/// <summary>Calls made as the GitHub App itself (JWT), not as an installation.</summary>
public sealed class GitHubAppClients(AppJwt jwt, GitHubConnections connections)
{
    /// <summary>The installation of the App on a repository (<c>GET /repos/{owner}/{repo}/installation</c>).</summary>
    public async Task<long> InstallationIdAsync(string owner, string repo, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var client = new GitHubClient(connections.Create(new Credentials(jwt.Create(), AuthenticationType.Bearer)));
        return (await client.GitHubApps.GetRepositoryInstallationForCurrent(owner, repo)).Id;
    }
}
