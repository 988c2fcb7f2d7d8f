using System.Net;
using System.Text.Json;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Jobs;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Jobs;

/// <summary>A job's failed runs are retried up to its limit; a hand-driven agent (ContractClient) fails each run.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobRetriesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Yaml = """
        jobs:
          flaky:
            trigger: manual
            repository: acme/app
            cloneUrl: https://example.invalid/acme/app.git
            steps: ["exit 1"]
            retries: 2
        """;

    private TestApp _app = null!;
    private ContractClient _agent = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(azurite, Yaml);
        _agent = await ContractClient.ConnectAsync(_app, "node-j", "linux");
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _app.DisposeAsync();
    }

    private async Task<TaskAssignment> FailNextAsync(TaskOutcome outcome = TaskOutcome.Failed)
    {
        var a = await _agent.NextAssignmentAsync();
        Assert.True((await _agent.AcceptAsync(a)).Accepted);
        Assert.True((await _agent.CompleteAsync(new TaskResult(_agent.NodeId, a.TaskId, a.LeaseToken, outcome, 1, [], [], [], "step exited 1", TimeSpan.FromSeconds(1)))).Accepted);
        return a;
    }

    [Fact]
    public async Task AFailingRunIsRetriedUpToTheJobsLimit()
    {
        var run = await _app.Http.PostAsync("/api/jobs/flaky/run", null);
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        var first = JsonDocument.Parse(await run.Content.ReadAsStringAsync()).RootElement.GetProperty("taskId").GetString();

        var attempts = new List<string>();
        for (var i = 0; i < 3; i++) attempts.Add((await FailNextAsync(i == 1 ? TaskOutcome.TimedOut : TaskOutcome.Failed)).TaskId);

        Assert.Equal(first, attempts[0]);
        Assert.Equal(3, attempts.Distinct().Count());
        var tasks = new List<ReviewTask>();
        foreach (var id in attempts) tasks.Add((await _app.Tasks.GetAsync(id, CancellationToken.None))!);
        Assert.Equal([0, 1, 2], tasks.Select(t => t.JobAttempt));
        Assert.Equal([TaskState.Failed, TaskState.TimedOut, TaskState.Failed], tasks.Select(t => t.State));
        Assert.Contains(tasks[0].History, h => h.Note == $"retry 1 of 2 queued as task {attempts[1]}");
        Assert.Equal("retry 2 of 2 after timed-out run " + attempts[1], tasks[2].Trigger);

        // The last attempt gets no further retry, however often its end is seen.
        var retries = _app.Services.GetRequiredService<JobRetries>();
        Assert.Null(await retries.RetryAsync(tasks[2], CancellationToken.None));
        // An end seen twice (a second instance, the start-up scan) makes no second retry.
        Assert.Null(await retries.RetryAsync(tasks[0], CancellationToken.None));
        var job = JsonDocument.Parse(await _app.Http.GetStringAsync("/api/jobs/flaky")).RootElement;
        Assert.Equal(3, job.GetProperty("executionCount").GetInt64());
        Assert.Equal(3, JsonDocument.Parse(await _app.Http.GetStringAsync("/api/jobs/flaky/tasks")).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task AnAbortedRunIsNotRetried()
    {
        var run = await _app.Http.PostAsync("/api/jobs/flaky/run", null);
        var id = JsonDocument.Parse(await run.Content.ReadAsStringAsync()).RootElement.GetProperty("taskId").GetString()!;
        var a = await _agent.NextAssignmentAsync();
        Assert.True((await _agent.AcceptAsync(a)).Accepted);

        Assert.Equal(HttpStatusCode.Accepted, (await _app.Http.PostAsync($"/api/tasks/{id}/abort", null)).StatusCode);

        var cancel = await _agent.Cancellations.Reader.ReadAsync().AsTask().WithTimeout(Timeouts.Short, "the agent to be told to stop");
        Assert.Equal(id, cancel.TaskId);
        var task = await _app.Tasks.GetAsync(id, CancellationToken.None);
        Assert.Equal(TaskState.Cancelled, task!.State);
        Assert.Null(await _app.Services.GetRequiredService<JobRetries>().RetryAsync(task, CancellationToken.None));
    }
}
