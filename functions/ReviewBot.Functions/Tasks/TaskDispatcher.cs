using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Labels;
using ReviewBot.Core.Placement;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.CodeHosts.GitHub;
using ReviewBot.Functions.CodeHosts.GitLab;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// Places queued tasks on agents (DESIGN §3): ranks candidates with <see cref="AgentSelector"/>, reserves a slot,
/// moves the task Queued → Assigned under a fresh lease (ETag-checked), pushes the assignment and waits for the
/// agent to accept. A refusal, a failed send or no answer within the accept timeout puts the task back for the
/// next candidate. Only the dispatch loop places, so placements never race each other; acceptances arrive
/// on hub threads and only change the task through the store.
/// </summary>
public sealed partial class TaskDispatcher(
    TaskStore store,
    AgentRegistry registry,
    IAgentChannel channel,
    CloneCredentials credentials,
    GitLabCloneCredentials gitLabCredentials,
    IOptions<RoutingOptions> options,
    TimeProvider time,
    ILogger<TaskDispatcher> log) : BackgroundService
{
    private sealed class Pending(ReviewTask task, LabelFilter? filter, string? filterError, DateTimeOffset queuedAt)
    {
        public ReviewTask Task { get; set; } = task;

        /// <summary>Null when the stored filter does not parse (<see cref="FilterError"/> says why).</summary>
        public LabelFilter? Filter { get; } = filter;
        public string? FilterError { get; } = filterError;
        public DateTimeOffset QueuedAt { get; } = queuedAt;
        public ConcurrentDictionary<string, DateTimeOffset> Excluded { get; } = new(StringComparer.Ordinal); // written from hub threads too
        public string? Reason { get; set; }
    }

    private sealed record Awaiting(string TaskId, string NodeId, DateTimeOffset Deadline);

    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Awaiting> _awaiting = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly RoutingOptions _options = options.Value;

    /// <summary>Number of tasks waiting for a node on this instance.</summary>
    public int QueuedCount => _pending.Count;

    /// <summary>Hands a queued task to the loop. Safe to call twice for the same task.</summary>
    public void Enqueue(ReviewTask task)
    {
        if (task.State != TaskState.Queued) return;
        _pending.AddOrUpdate(task.Id, _ => NewPending(task), (_, p) => { p.Task = task; return p; });
        Wake();
    }

    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        registry.PlacementMayHaveChanged += Wake;
        await RecoverAsync(stoppingToken);
        using var ticker = new PeriodicTimer(_options.SweepInterval, time);
        var tick = ticker.WaitForNextTickAsync(stoppingToken).AsTask();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = _wake.Reader.WaitToReadAsync(stoppingToken).AsTask();
            var done = await Task.WhenAny(wake, tick);
            if (done == tick)
            {
                if (!await tick) break;
                tick = ticker.WaitForNextTickAsync(stoppingToken).AsTask();
            }
            _wake.Reader.TryRead(out _);
            try
            {
                await ExpireAcceptancesAsync(stoppingToken);
                await PlaceAllAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Storage hiccups must not stop routing: the next wake or tick tries again.
                LogLoopFailed(log, e);
            }
        }
    }

    /// <summary>After a start: queued tasks go back into the loop; assigned and running ones stay with their node,
    /// which has the reconnect grace to come back and claim them.</summary>
    private async Task RecoverAsync(CancellationToken ct)
    {
        try
        {
            var active = await store.ListAsync(new TaskQuery(States: [TaskState.Queued, TaskState.Assigned, TaskState.Running], Top: int.MaxValue), ct);
            foreach (var t in active)
            {
                if (t.State == TaskState.Queued) Enqueue(t);
                else if (t.NodeId is { } n && t.LeaseToken is { } l) registry.Hold(n, t.Id, l);
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
        if (_pending.IsEmpty) return;
        // One snapshot of the agents per pass, not per task: TryReserve re-checks capacity under the node's lock,
        // and a placement updates the snapshot's load so that the next task of this pass sees it.
        var candidates = registry.Candidates().ToList();
        foreach (var p in _pending.Values.OrderBy(p => p.QueuedAt).ToList())
            await PlaceOneAsync(p, candidates, ct);
    }

    private async Task PlaceAsync(Pending p, List<AgentCandidate> candidates, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var (node, until) in p.Excluded.ToList())
            if (until <= now) p.Excluded.TryRemove(node, out _);

        if (p.Filter is null)
        {
            _pending.TryRemove(p.Task.Id, out _);
            await store.UpdateAsync(p.Task.Id, t => t.State != TaskState.Queued ? null :
                t.To(TaskState.Errored, p.FilterError!, now) with { Error = p.FilterError, CompletedAt = now }, ct);
            return;
        }
        var decision = AgentSelector.Rank(new PlacementRequest(p.Filter, p.Task.Repository, p.Excluded.Keys.ToHashSet()), candidates, CandidatesPerPlacement);
        foreach (var candidate in decision.Ranked)
        {
            var lease = Guid.NewGuid().ToString("N");
            if (!registry.TryReserve(candidate.NodeId, p.Task.Id, lease, p.Task.Repository)) continue;
            var reason = $"placed on {candidate.Name} ({Describe(candidate)})";
            ReviewTask? assigned = null;
            try
            {
                assigned = await store.UpdateAsync(p.Task.Id, t => t.State != TaskState.Queued ? null :
                    t.To(TaskState.Assigned, reason, now) with { LeaseToken = lease, NodeId = candidate.NodeId, NodeName = candidate.Name, PlacementReason = reason }, ct, known: p.Task);
            }
            finally
            {
                // Not assigned (cancelled, placed by another instance, or the write failed): the slot is not taken.
                if (assigned is null) registry.Release(candidate.NodeId, p.Task.Id, lease);
            }
            if (assigned is null)
            {
                _pending.TryRemove(p.Task.Id, out _);
                return;
            }
            _pending.TryRemove(p.Task.Id, out _);
            var at = candidates.IndexOf(candidate);
            if (at >= 0) candidates[at] = candidate with { Running = candidate.Running + 1 };
            _awaiting[lease] = new Awaiting(p.Task.Id, candidate.NodeId, now + _options.AcceptTimeout);
            var sent = await TrySendAsync(candidate.NodeId, await AssignmentAsync(assigned, lease, ct), ct);
            if (sent) { LogAssigned(log, p.Task.Id, candidate.Name); return; }
            // The send failed: the node is suspect; put the task back and try the next candidate.
            _awaiting.TryRemove(lease, out _);
            registry.MarkSuspect(candidate.NodeId, _options.SuspectFor);
            await ReturnToQueueAsync(p.Task.Id, candidate.NodeId, lease, $"could not reach {candidate.Name}", ct);
            if (!_pending.TryGetValue(p.Task.Id, out var again)) return;
            p = again;
        }

        if (now - p.QueuedAt > _options.QueueTimeout)
        {
            var why = $"not placed within {_options.QueueTimeout}: {decision.WaitReason}";
            _pending.TryRemove(p.Task.Id, out _);
            await store.UpdateAsync(p.Task.Id, t => t.State != TaskState.Queued ? null :
                t.To(TaskState.Errored, why, now) with { Error = why, PlacementReason = decision.WaitReason, CompletedAt = now }, ct);
            LogQueueTimeout(log, p.Task.Id, why);
            return;
        }
        if (decision.Ranked.Count == 0 && decision.WaitReason != p.Reason)
        {
            p.Reason = decision.WaitReason;
            var updated = await store.UpdateAsync(p.Task.Id, t => t.State != TaskState.Queued || t.PlacementReason == decision.WaitReason ? null :
                t with { PlacementReason = decision.WaitReason }, ct, known: p.Task);
            if (updated is not null) p.Task = updated;
        }
    }

    private async Task<bool> TrySendAsync(string nodeId, TaskAssignment assignment, CancellationToken ct)
    {
        if (registry.Get(nodeId)?.ConnectionId is not { } connection) return false;
        try
        {
            await channel.AssignAsync(connection, assignment, ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSendFailed(log, assignment.TaskId, nodeId, e);
            return false;
        }
    }

    /// <summary>The agent's answer to an assignment: counts only from the node the task was assigned to, under its lease
    /// (the caller checked that the connection speaks for <see cref="TaskAcceptance.NodeId"/>).</summary>
    public async Task<TaskAck> OnAcceptanceAsync(TaskAcceptance a, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_awaiting.TryGetValue(a.LeaseToken, out var awaiting) && awaiting.NodeId == a.NodeId) _awaiting.TryRemove(KeyValuePair.Create(a.LeaseToken, awaiting));
        if (!a.Accepted)
        {
            var returned = await ReturnToQueueAsync(a.TaskId, a.NodeId, a.LeaseToken, $"refused by {registry.Get(a.NodeId)?.Name ?? a.NodeId}: {a.Reason}", ct);
            return returned ? new TaskAck(true, null) : new TaskAck(false, "no such assignment");
        }
        var running = await store.UpdateAsync(a.TaskId, t => t.State != TaskState.Assigned || t.LeaseToken != a.LeaseToken || t.NodeId != a.NodeId ? null :
            t.To(TaskState.Running, $"accepted by {t.NodeName}", now) with { StartedAt = now }, ct);
        if (running is not null) return new TaskAck(true, null);
        registry.Release(a.NodeId, a.TaskId, a.LeaseToken);
        return new TaskAck(false, "the assignment is no longer valid (it timed out, was cancelled or given to another agent)");
    }

    private async Task ExpireAcceptancesAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var (lease, a) in _awaiting)
        {
            if (a.Deadline > now || !_awaiting.TryRemove(lease, out _)) continue;
            // Only if the task really went back (it may have been accepted a moment ago) is the node suspect and told to drop it.
            if (!await ReturnToQueueAsync(a.TaskId, a.NodeId, lease, $"{registry.Get(a.NodeId)?.Name ?? a.NodeId} did not accept within {_options.AcceptTimeout.TotalSeconds:0.#} s", ct)) continue;
            registry.MarkSuspect(a.NodeId, _options.SuspectFor);
            if (registry.Get(a.NodeId)?.ConnectionId is { } c)
                await TryCancelAsync(c, new TaskCancellation(a.TaskId, lease, "not accepted in time; given to another agent"), ct);
        }
    }

    /// <summary>Assigned → Queued under the same lease (refusal, no answer, failed send), not counted as an attempt;
    /// the node is not offered this task again for a while.</summary>
    private async Task<bool> ReturnToQueueAsync(string taskId, string nodeId, string lease, string why, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var queued = await store.UpdateAsync(taskId, t => t.State != TaskState.Assigned || t.LeaseToken != lease || t.NodeId != nodeId ? null :
            t.To(TaskState.Queued, why, now) with { LeaseToken = null, NodeId = null, NodeName = null, PlacementReason = why }, ct);
        if (queued is null) return false;
        registry.Release(nodeId, taskId, lease);
        Enqueue(queued);
        if (_pending.TryGetValue(taskId, out var p)) p.Excluded[nodeId] = now + _options.RetryNodeAfter;
        LogReturned(log, taskId, why);
        return true;
    }

    public async Task TryCancelAsync(string connectionId, TaskCancellation c, CancellationToken ct)
    {
        try { await channel.CancelAsync(connectionId, c, ct); }
        catch (Exception e) when (e is not OperationCanceledException) { LogSendFailed(log, c.TaskId, connectionId, e); }
    }

    /// <summary>The node just finished a task (its result arrived, accepted or not): it has room again, so the
    /// tasks it refused as full may be offered to it now rather than after <see cref="RoutingOptions.RetryNodeAfter"/>.</summary>
    public void NodeFreed(string nodeId)
    {
        foreach (var p in _pending.Values) p.Excluded.TryRemove(nodeId, out _);
        Wake();
    }

    /// <summary>Forgets a task that ended or was cancelled while queued.</summary>
    public void Forget(string taskId) => _pending.TryRemove(taskId, out _);

    /// <summary>An untrusted task (Trust/) gets no clone token and no job secrets, approved or not.</summary>
    private async Task<TaskAssignment> AssignmentAsync(ReviewTask t, string lease, CancellationToken ct) => new(
        t.Id, lease, t.Attempt,
        t.Host == CodeHostNames.GitLab
            ? new SourceSpec(t.Repository, t.CloneUrl, t.HeadSha, t.HeadRef, t.BaseSha, t.BaseRef, t.PullRequest, t.Untrusted ? null : gitLabCredentials.TokenFor(t.CloneUrl))
                { TokenUser = GitLabCloneCredentials.User, AllowLocal = t.AllowLocal }
            : new SourceSpec(t.Repository, t.CloneUrl, t.HeadSha, t.HeadRef, t.BaseSha, t.BaseRef, t.PullRequest,
                t.Untrusted ? null : await credentials.TokenForAsync(t.CloneUrl, t.InstallationId, ct)) { AllowLocal = t.AllowLocal },
        t.Linter, _options.AcceptTimeout) { Job = Trust.UntrustedWork.JobFor(t) };

    private static string Describe(AgentCandidate c) =>
        $"labels: {(c.Labels.Count == 0 ? "none" : string.Join(", ", c.Labels))}; load {c.Running}/{c.Capacity}";

    private static Pending NewPending(ReviewTask task)
    {
        // Filters are validated when the configuration loads; one that does not parse here fails its task, loudly.
        try { return new Pending(task, LabelFilter.Parse(task.NodeLabels), null, task.QueuedAt ?? task.CreatedAt); }
        catch (LabelFilterSyntaxException e) { return new Pending(task, null, $"label filter '{task.NodeLabels}' is invalid: {e.Message}", task.CreatedAt); }
    }

    // Never the lease: with it anyone who reads the log could answer for the agent (security review D3).
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Task {TaskId} assigned to {Node}")]
    private static partial void LogAssigned(ILogger logger, string taskId, string node);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Task {TaskId} back in the queue: {Reason}")]
    private static partial void LogReturned(ILogger logger, string taskId, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Task {TaskId} failed: {Reason}")]
    private static partial void LogQueueTimeout(ILogger logger, string taskId, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Sending to agent failed for task {TaskId} ({Target})")]
    private static partial void LogSendFailed(ILogger logger, string taskId, string target, Exception e);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Dispatch loop failed; retrying at the next tick")]
    private static partial void LogLoopFailed(ILogger logger, Exception e);
}
