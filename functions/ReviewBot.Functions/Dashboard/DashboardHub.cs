using Microsoft.AspNetCore.SignalR;
using ReviewBot.Functions.Logs;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Dashboard;

/// <summary>
/// The browsers' live channel (<see cref="Path"/>). Client → server: <see cref="WatchTask"/>, <see cref="UnwatchTask"/>;
/// server → client: <see cref="IDashboardClient"/>. Open by default; <see cref="DashboardRegistration.MapDashboardHub"/>
/// returns the endpoint builder so an authorization policy can be put on it.
/// </summary>
public sealed class DashboardHub(TaskStore tasks, LogReader logs) : Hub<IDashboardClient>
{
    public const string Path = "/api/dashboard/hub";

    /// <summary>The SignalR group of a task's watchers.</summary>
    public static string Group(string taskId) => "task:" + taskId;

    /// <summary>Starts relaying the task's output to this connection and returns the log so far. Joining happens
    /// before the snapshot is read, so every piece is in the snapshot or arrives by <see cref="IDashboardClient.LogAppended"/>
    /// (possibly both: skip sequences below <see cref="LogSnapshot.NextSequence"/>).</summary>
    /// <exception cref="HubException">No task has this id.</exception>
    public async Task<LogSnapshot> WatchTask(string taskId)
    {
        if (await tasks.GetAsync(taskId, Context.ConnectionAborted) is null) throw new HubException($"No task with id '{taskId}'.");
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(taskId), Context.ConnectionAborted);
        var snapshot = await logs.SnapshotAsync(taskId, Context.ConnectionAborted);
        return new LogSnapshot(snapshot.Text, snapshot.NextSequence, snapshot.Truncated);
    }

    /// <summary>Stops relaying the task's output to this connection.</summary>
    public Task UnwatchTask(string taskId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(taskId), Context.ConnectionAborted);
}
