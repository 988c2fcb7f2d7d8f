using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Placement;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// The placement loop (DESIGN §3): takes the queued tasks (<see cref="TaskQueue"/>) longest waiting first, ranks the
/// agents with <see cref="AgentSelector"/>, reserves a slot (<see cref="IAgentPool"/>), has the lifecycle write
/// Queued → Assigned under a fresh lease, pushes the assignment (<see cref="IAgentChannel"/>) and gives the agent until
/// its acceptance deadline to answer. A failed send or no answer in time puts the task back for the next candidate and
/// leaves the node out for a while (suspect). Only this loop places, so placements never race each other; every change
/// of a task goes through <see cref="TaskLifecycle"/>.
/// </summary>
public sealed partial class TaskDispatcher(
    TaskLifecycle lifecycle,
    TaskQueue queue,
    IAgentPool pool,
    IAgentChannel channel,
    IEnumerable<ISourceResolver> resolvers,
    ITaskStore store,
    IOptions<RoutingOptions> options,
    TimeProvider time,
    ILogger<TaskDispatcher> log) : BackgroundService
{
    private readonly RoutingOptions _options = options.Value;
    private readonly Dictionary<string, ISourceResolver> _resolvers = resolvers.ToDictionary(r => r.Host, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        pool.PlacementMayHaveChanged += queue.Wake;
        try
        {
            await RecoverAsync(stoppingToken);
            using var ticker = new PeriodicTimer(_options.SweepInterval, time);
            var tick = ticker.WaitForNextTickAsync(stoppingToken).AsTask();
            while (!stoppingToken.IsCancellationRequested)
            {
                var wake = queue.WokenAsync(stoppingToken);
                var done = await Task.WhenAny(wake, tick);
                if (done == tick)
                {
                    if (!await tick) break;
                    tick = ticker.WaitForNextTickAsync(stoppingToken).AsTask();
                }
                queue.TakeWake();
                try
                {
                    await PassAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Storage hiccups must not stop routing: the next wake or tick tries again.
                    LogLoopFailed(log, e);
                }
            }
        }
        finally
        {
            pool.PlacementMayHaveChanged -= queue.Wake;
        }
    }

    /// <summary>One pass of the loop: expired acceptance deadlines first, then every queued task.</summary>
    internal async Task PassAsync(CancellationToken ct)
    {
        await ExpireAcceptancesAsync(ct);
        await PlaceAllAsync(ct);
    }

    /// <summary>After a start: queued tasks go back into the loop; assigned and running ones stay with their node,
    /// which has the reconnect grace to come back and claim them.</summary>
    internal async Task RecoverAsync(CancellationToken ct)
    {
        try
        {
            var active = await store.InStatesAsync([TaskState.Queued, TaskState.Assigned, TaskState.Running], ct);
            foreach (var t in active)
            {
                if (t.State == TaskState.Queued) queue.Enqueue(t);
                else if (t.NodeId is { } n && t.LeaseToken is { } l) pool.Hold(n, t.Id, l);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogLoopFailed(log, e);
        }
    }

    /// <summary>How many ranked candidates a placement tries before ranking again on the next pass.</summary>
    private const int CandidatesPerPlacement = 3;

    private async Task PlaceAllAsync(CancellationToken ct)
    {
        if (queue.Count == 0) return;
        // One snapshot of the agents per pass, not per task: TryReserve re-checks capacity under the node's lock,
        // and a placement updates the snapshot's load so that the next task of this pass sees it.
        var candidates = pool.Candidates().ToList();
        foreach (var p in queue.InOrder())
            await PlaceOneAsync(p, candidates, ct);
    }

    private async Task PlaceAsync(QueuedTask p, List<AgentCandidate> candidates, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var (node, until) in p.Excluded.ToList())
            if (until <= now) p.Excluded.TryRemove(node, out _);

        if (p.Filter is null)
        {
            queue.Forget(p.Task.Id);
            await lifecycle.FailInQueueAsync(p.Task.Id, p.FilterError!, ct);
            return;
        }
        var decision = AgentSelector.Rank(new PlacementRequest(p.Filter, p.Task.Repository, p.Excluded.Keys.ToHashSet()), candidates, CandidatesPerPlacement);
        foreach (var candidate in decision.Ranked)
        {
            var lease = Guid.NewGuid().ToString("N");
            if (!pool.TryReserve(candidate.NodeId, p.Task.Id, lease, p.Task.Repository)) continue;
            var reason = $"placed on {candidate.Name} ({Describe(candidate)})";
            ReviewTask? assigned = null;
            try
            {
                assigned = await lifecycle.AssignAsync(p.Task, candidate.NodeId, candidate.Name, lease, reason, ct);
            }
            finally
            {
                // Not assigned (cancelled, placed by another instance, or the write failed): the slot is not taken.
                if (assigned is null) pool.Release(candidate.NodeId, p.Task.Id, lease);
            }
            queue.Forget(p.Task.Id);
            if (assigned is null) return;
            var at = candidates.IndexOf(candidate);
            if (at >= 0) candidates[at] = candidate with { Running = candidate.Running + 1 };
            queue.AwaitAnswer(lease, p.Task.Id, candidate.NodeId, now + _options.AcceptTimeout);
            if (await PushAsync(assigned, candidate, lease, ct) != Push.Failed) return;
            // The send failed: the task is back, for the next candidate.
            if (!queue.TryGet(p.Task.Id, out var again)) return;
            p = again;
        }

        if (now - p.QueuedAt > _options.QueueTimeout)
        {
            queue.Forget(p.Task.Id);
            await lifecycle.ExpireInQueueAsync(p.Task.Id, decision.WaitReason, ct);
            return;
        }
        if (decision.Ranked.Count == 0 && decision.WaitReason != p.Reason)
        {
            p.Reason = decision.WaitReason;
            if (await lifecycle.ExplainWaitAsync(p.Task, decision.WaitReason, ct) is { } updated) p.Task = updated;
        }
    }

    private async Task ExpireAcceptancesAsync(CancellationToken ct)
    {
        foreach (var a in queue.TakeExpired(time.GetUtcNow()))
        {
            // Only if the task really went back (it may have been accepted a moment ago) is the node suspect and told to drop it.
            if (!await lifecycle.ExpireAcceptanceAsync(a.TaskId, a.NodeId, a.Lease, ct)) continue;
            pool.MarkSuspect(a.NodeId, _options.SuspectFor);
            if (pool.ConnectionOf(a.NodeId) is { } c)
                await lifecycle.TellToStopAsync(c, new TaskCancellation(a.TaskId, a.Lease, "not accepted in time; given to another agent"), ct);
        }
    }

    private static string Describe(AgentCandidate c) =>
        $"labels: {(c.Labels.Count == 0 ? "none" : string.Join(", ", c.Labels))}; load {c.Running}/{c.Capacity}";

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Dispatch loop failed; retrying at the next tick")]
    private static partial void LogLoopFailed(ILogger logger, Exception e);
}
