using System.Collections.Concurrent;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Placement;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

/// <summary>Pushing an assignment to its agent, with the clone credential of the task's code host
/// (<see cref="ISourceResolver"/>). The credential usually comes from a cache; when it has to be fetched (a network
/// call, about hourly per GitHub installation), the push finishes in the background, so that one fetch never holds up
/// the placement of the other tasks.</summary>
public sealed partial class TaskDispatcher
{
    private enum Push { Sent, Failed, InBackground }

    private readonly ConcurrentDictionary<Task, bool> _pushing = new();

    /// <summary>Completes when the pushes now finishing in the background have (tests).</summary>
    internal Task BackgroundPushes => Task.WhenAll(_pushing.Keys);

    private async Task<Push> PushAsync(ReviewTask assigned, AgentCandidate candidate, string lease, CancellationToken ct)
    {
        var token = TokenAsync(assigned, ct);
        if (token.IsCompleted) return await SendOrReturnAsync(assigned, candidate, lease, token.Result, ct) ? Push.Sent : Push.Failed;
        var push = FinishPushAsync(assigned, candidate, lease, token, ct);
        _pushing[push] = true;
        _ = push.ContinueWith(done => _pushing.TryRemove(done, out _), TaskScheduler.Default);
        return Push.InBackground;
    }

    private async Task FinishPushAsync(ReviewTask assigned, AgentCandidate candidate, string lease, ValueTask<string?> token, CancellationToken ct)
    {
        try
        {
            var value = await token;
            // The answer's deadline passed while the credential was fetched: the task was taken back, nothing to send.
            if (queue.IsAwaiting(lease)) await SendOrReturnAsync(assigned, candidate, lease, value, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogPlacementFailed(log, assigned.Id, e); // still assigned: the acceptance deadline takes it back
        }
    }

    /// <summary>Sends the assignment; when that fails, the node is suspect and the task goes back to the queue.</summary>
    private async Task<bool> SendOrReturnAsync(ReviewTask assigned, AgentCandidate candidate, string lease, string? token, CancellationToken ct)
    {
        var assignment = UntrustedWork.Assignment(assigned, lease, token, _resolvers.GetValueOrDefault(assigned.Host)?.TokenUser, _options.AcceptTimeout);
        if (await TrySendAsync(candidate.NodeId, assignment, ct))
        {
            LogAssigned(log, assigned.Id, candidate.Name);
            return true;
        }
        queue.StopAwaiting(lease);
        pool.MarkSuspect(candidate.NodeId, _options.SuspectFor);
        await lifecycle.ReturnToQueueAsync(assigned.Id, candidate.NodeId, lease, $"could not reach {candidate.Name}", ct);
        return false;
    }

    /// <summary>No token is asked for an untrusted task (<see cref="UntrustedWork.MayClone"/>), nor for a host without a resolver.</summary>
    private ValueTask<string?> TokenAsync(ReviewTask t, CancellationToken ct) =>
        UntrustedWork.MayClone(t) && _resolvers.TryGetValue(t.Host, out var resolver) ? resolver.TokenForAsync(t, ct) : ValueTask.FromResult<string?>(null);

    private async Task<bool> TrySendAsync(string nodeId, TaskAssignment assignment, CancellationToken ct)
    {
        if (pool.ConnectionOf(nodeId) is not { } connection) return false;
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

    // Never the lease: with it anyone who reads the log could answer for the agent (security review D3).
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Task {TaskId} assigned to {Node}")]
    private static partial void LogAssigned(ILogger logger, string taskId, string node);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Sending to agent failed for task {TaskId} ({Target})")]
    private static partial void LogSendFailed(ILogger logger, string taskId, string target, Exception e);
}
