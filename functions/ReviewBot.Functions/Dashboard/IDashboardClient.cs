using ReviewBot.Functions.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Logs;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Dashboard;

/// <summary>
/// What the server calls on a browser connected to the dashboard hub (<see cref="DashboardHub.Path"/>, SignalR with
/// the JSON protocol: member names are camelCase on the wire).
/// </summary>
public interface IDashboardClient
{
    /// <summary>
    /// Output stored for a task this connection watches (<see cref="DashboardHub.WatchTask"/>), sent only to its
    /// watchers. Per task, <paramref name="sequence"/> is 0, 1, 2… across the task's whole log (attempts included) and
    /// arrives in order without gaps from this server; a piece with a sequence below the snapshot's
    /// <see cref="LogSnapshot.NextSequence"/> is already in the snapshot and must be skipped.
    /// </summary>
    /// <param name="text">The piece as stored: secrets already masked by the agent; a marker line
    /// <c>--- attempt N on node ---</c> starts a new attempt, and one notice line says when the log was truncated.</param>
    Task LogAppended(string taskId, long sequence, string text);

    /// <summary>A task was created or changed state (every change this server writes), sent to every connection.</summary>
    Task TaskChanged(TaskSummary task);

    /// <summary>An agent registered, disconnected or went offline, sent to every connection.</summary>
    Task AgentChanged(AgentView agent);
}

/// <summary>What <see cref="DashboardHub.WatchTask"/> returns: the end of the log as stored when watching began.</summary>
/// <param name="Text">The last ≤ 64 KiB of the log (from a line start when cut); "" when there is no output yet.</param>
/// <param name="NextSequence">The sequence of the first <see cref="IDashboardClient.LogAppended"/> not in
/// <paramref name="Text"/>: skip pieces below it, append the others.</param>
/// <param name="Truncated">True when <paramref name="Text"/> leaves out earlier output; the whole log is at
/// <c>GET /api/tasks/{id}/log</c>.</param>
public sealed record LogSnapshot(string Text, long NextSequence, bool Truncated);
