namespace ReviewBot.Functions.Tasks;

/// <summary>Counts a job's run that Tasks created outside a firing (a rerun of a job's task through the API), so the
/// job's history shows it (implemented by Jobs/JobLauncher.cs). A failure to count is logged, not thrown: the task exists.</summary>
public interface IJobRunCounter
{
    Task CountAsync(string job, string taskId, DateTimeOffset at, CancellationToken ct);
}
