namespace ReviewBot.Tests.Architecture;

/// <summary>Task state has one writer (Tasks/TaskLifecycle.cs): nothing else creates or updates a task row.</summary>
public class TaskStateWriterTests
{
    private static readonly string[] Writes =
    [
        "ReviewBot.Functions.Tasks.TaskStore.UpdateAsync", "ReviewBot.Functions.Tasks.TaskStore.TryCreateAsync",
        "ReviewBot.Functions.Tasks.ITaskStore.UpdateAsync", "ReviewBot.Functions.Tasks.ITaskStore.TryCreateAsync",
    ];

    /// <summary>Writers besides the lifecycle, and why each is not a writer of state.</summary>
    private static readonly Dictionary<string, string> Allowed = new()
    {
        ["ReviewBot.Functions.Tasks.TaskLifecycle"] = "the one writer of task state",
        ["ReviewBot.Functions.Tasks.TaskStore"] = "its own retries",
        ["ReviewBot.Functions.Reporting.ReportQueue"] = "report progress only (ReviewTask.Reporting), never the state",
    };

    [Fact]
    public void OnlyTheLifecycleCreatesOrUpdatesTasks()
    {
        var calls = MethodCalls.Read(Assemblies.Functions.Location);

        var writers = calls.Where(c => Writes.Contains(c.Callee)).Select(c => c.Caller.ToString()).Distinct().Order().ToList();

        Assert.Contains("ReviewBot.Functions.Tasks.TaskLifecycle", writers); // the check sees the calls at all
        Assert.All(writers, w => Assert.True(Allowed.ContainsKey(w), $"{w} creates or updates task rows: go through TaskLifecycle"));
    }
}
