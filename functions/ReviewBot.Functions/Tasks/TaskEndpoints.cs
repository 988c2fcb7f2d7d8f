using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Hosting.Diagnostics;
using ReviewBot.Functions.Hosting.Http;
using static ReviewBot.Functions.Hosting.Http.Problems;

namespace ReviewBot.Functions.Tasks;

public static class TaskEndpoints
{
    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tasks").WithTags("Tasks");
        group.MapGet("/", List);
        group.MapGet("/{id}", Get);
        group.MapPost("/{id}/rerun", Rerun);
        group.MapPost("/{id}/abort", Abort);
        return app;
    }

    /// <summary>Queues the same work again as a new task. The Idempotency-Key header, when given, makes a retried request
    /// return the same new task instead of making another. A job's run counts in the job's history (<see cref="IJobRunCounter"/>).</summary>
    public static async Task<Results<Accepted<TaskActionAnswer>, ProblemHttpResult>> Rerun(string id, HttpRequest request, TaskStore store, TaskLifecycle tasks,
        IJobRunCounter jobs, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } original) return NoSuchTask(id);
        if (IdempotencyKey.Read(request, out var key) is { } bad) return bad;
        if (await tasks.RerunAsync(original, "rerun via API", key, ct) is not { Task: var rerun } made)
            return Problem(409, "Task awaits approval", $"Task '{id}' waits for a trusted person's approval; approving it runs it.");
        if (made.Created && rerun.JobName is { } job) await jobs.CountAsync(job, rerun.Id, rerun.CreatedAt, ct);
        return TypedResults.Accepted($"/api/tasks/{rerun.Id}", new TaskActionAnswer(rerun.Id, made.Created ? "queued" : "already queued by this request"));
    }

    /// <summary>Cancels a task that has not ended; its agent is told to stop and kills the process tree.</summary>
    public static async Task<Results<Accepted<TaskActionAnswer>, ProblemHttpResult>> Abort(string id, TaskStore store, TaskLifecycle tasks, CancellationToken ct)
    {
        if (await tasks.CancelAsync(id, "aborted via API", ct))
            return TypedResults.Accepted($"/api/tasks/{id}", new TaskActionAnswer(id, "cancelled"));
        return await store.GetAsync(id, ct) is { } task
            ? Problem(409, "Task has ended", $"Task '{id}' is already {task.State.Name()}.")
            : NoSuchTask(id);
    }

    /// <summary>Tasks newest first, a page at a time (<see cref="TaskPaging"/>; which filters combine: <see cref="TaskListQuery"/>).</summary>
    public static async Task<Results<Ok<IReadOnlyList<TaskSummary>>, ProblemHttpResult>> List(
        HttpContext context, TaskStore store, string? state, string? repo, string? node, string? job, string? limit, string? cursor, CancellationToken ct)
    {
        TaskState? parsed = null;
        if (state is not null)
        {
            if (!Enum.TryParse<TaskState>(state, ignoreCase: true, out var s) || int.TryParse(state, out _))
                return Problem(400, "Invalid query", $"state '{state}' is not one of {string.Join(", ", Enum.GetNames<TaskState>().Select(n => n.ToLowerInvariant()))}.", "state");
            parsed = s;
        }
        var query = new TaskListQuery(parsed, NullIfEmpty(repo), NullIfEmpty(node), NullIfEmpty(job));
        if (TaskPaging.Read(limit, cursor, query, out var size) is { } bad) return bad;
        var page = await store.PageAsync(query, cursor, size, ct);
        TaskPaging.LinkNext(context, page.Next);
        return TypedResults.Ok<IReadOnlyList<TaskSummary>>([.. page.Tasks.Select(TaskSummary.Of)]);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    public static async Task<Results<Ok<TaskDetails>, ProblemHttpResult>> Get(string id, TaskStore store, CancellationToken ct)
    {
        var task = await store.GetAsync(id, ct);
        if (task is null) return NoSuchTask(id);
        var result = task.State.IsTerminal() ? await store.GetResultAsync(id, ct) : null;
        return TypedResults.Ok(TaskDetails.Of(task, result));
    }

    private static ProblemHttpResult NoSuchTask(string id) => Problem(404, "No such task", $"No task with id '{id}'.");
}

public sealed record TaskActionAnswer(string TaskId, string Status);

/// <param name="Job">The job's name, for a job's task; <see cref="JobAttempt"/> is 0 for a firing's first run.</param>
public sealed record TaskSummary(
    string Id, string State, string Repository, int? PullRequest, string HeadSha, string Linter, string? Node,
    string Trigger, int Attempt, string? PlacementReason, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    int FindingCount, string? Job = null, int JobAttempt = 0)
{
    public static TaskSummary Of(ReviewTask t) => new(t.Id, t.State.Name(), t.Repository, t.PullRequest, t.HeadSha,
        t.Linter.Name, t.NodeName, t.Trigger, t.Attempt, t.PlacementReason, t.CreatedAt, t.StartedAt, t.CompletedAt, t.FindingCount,
        t.JobName, t.JobAttempt);
}

public sealed record TaskDetails(
    string Id, string State, string Repository, int? PullRequest, string HeadSha, string? BaseSha, string? HeadRef, string Linter,
    string NodeLabels, string? NodeId, string? Node, string Trigger, string? DeliveryId, int Attempt, int MaxAttempts,
    string? PlacementReason, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, int? ExitCode, string? Error,
    IReadOnlyList<TaskEvent> History, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Unexpected, IReadOnlyList<string> ChangedFiles,
    ReportSettings ReportSettings, ReportProgress Report, ReportPreview? Preview,
    string? Job, int JobAttempt, IReadOnlyList<StepResult> Steps, string? ResolvedSha)
{
    public static TaskDetails Of(ReviewTask t, TaskResultDocument? r) => new(
        t.Id, t.State.Name(), t.Repository, t.PullRequest, t.HeadSha, t.BaseSha, t.HeadRef, t.Linter.Name,
        t.NodeLabels, t.NodeId, t.NodeName, t.Trigger, t.DeliveryId, t.Attempt, t.MaxAttempts, t.PlacementReason, t.CreatedAt, t.StartedAt,
        t.CompletedAt, t.ExitCode, r?.Error ?? t.Error, t.History, r?.Findings ?? [], r?.Unexpected ?? [], r?.ChangedFiles ?? [],
        t.Report, t.Reporting, r?.Preview, t.JobName, t.JobAttempt, r?.Steps ?? [], r?.ResolvedSha)
        { Untrusted = t.Untrusted, TraceId = ReviewBotTracing.Parent(t.TraceParent)?.TraceId.ToHexString() };

    /// <summary>An untrusted pull request's task (Trust/): run without clone token or secrets.</summary>
    public bool Untrusted { get; init; }

    /// <summary>The id of the task's trace (its delivery's), to look it up in a tracing backend; null when not traced.</summary>
    public string? TraceId { get; init; }
}
