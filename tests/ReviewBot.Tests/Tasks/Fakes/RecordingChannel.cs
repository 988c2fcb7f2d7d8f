using System.Collections.Concurrent;
using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Tests.Tasks.Fakes;

/// <summary>An agent channel that records what it was asked to send, per connection, and can be made to fail for one.</summary>
internal sealed class RecordingChannel : IAgentChannel
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<TaskAssignment>> _byTask = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Connection, TaskAssignment Assignment)> Assigned { get; } = new();
    public ConcurrentQueue<(string Connection, TaskCancellation Cancellation)> Cancelled { get; } = new();

    /// <summary>Connections every send to fails (an agent that is gone without the server knowing yet).</summary>
    public ConcurrentDictionary<string, bool> Unreachable { get; } = new();

    /// <summary>Completes with the first assignment of <paramref name="taskId"/> sent.</summary>
    public Task<TaskAssignment> AssignmentOf(string taskId) => Signal(taskId).Task;

    private TaskCompletionSource<TaskAssignment> Signal(string taskId) =>
        _byTask.GetOrAdd(taskId, _ => new TaskCompletionSource<TaskAssignment>(TaskCreationOptions.RunContinuationsAsynchronously));

    public Task AssignAsync(string connectionId, TaskAssignment assignment, CancellationToken ct)
    {
        if (Unreachable.ContainsKey(connectionId)) throw new IOException($"{connectionId} is gone");
        Assigned.Enqueue((connectionId, assignment));
        Signal(assignment.TaskId).TrySetResult(assignment);
        return Task.CompletedTask;
    }

    public Task CancelAsync(string connectionId, TaskCancellation cancellation, CancellationToken ct)
    {
        if (Unreachable.ContainsKey(connectionId)) throw new IOException($"{connectionId} is gone");
        Cancelled.Enqueue((connectionId, cancellation));
        return Task.CompletedTask;
    }

    public Task CloseAsync(string connectionId, string reason, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The assignments sent to <paramref name="connection"/>, in order.</summary>
    public IReadOnlyList<TaskAssignment> To(string connection) => [.. Assigned.Where(a => a.Connection == connection).Select(a => a.Assignment)];
}
