using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Hosting.Http;
using ReviewBot.Functions.Tasks;
using static ReviewBot.Functions.Hosting.Http.Problems;

namespace ReviewBot.Functions.Jobs;

/// <summary><c>/api/jobs</c>: job definitions (list, create, read, replace, soft-delete, enable, disable), running one now,
/// its next cron times and its run history. Logic lives in <see cref="JobCommands"/>, <see cref="JobCatalog"/> and
/// <see cref="JobLauncher"/>; handlers map their results to HTTP.</summary>
public static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/jobs").WithTags("Jobs");
        group.MapGet("/", List);
        group.MapPost("/", Create);
        group.MapGet("/{name}", Get);
        group.MapPut("/{name}", Replace);
        group.MapDelete("/{name}", Delete);
        group.MapPost("/{name}/enable", (string name, JobCommands c, JobViews v, HttpResponse r, CancellationToken ct) => SetEnabled(name, true, c, v, r, ct));
        group.MapPost("/{name}/disable", (string name, JobCommands c, JobViews v, HttpResponse r, CancellationToken ct) => SetEnabled(name, false, c, v, r, ct));
        group.MapPost("/{name}/run", Run);
        group.MapGet("/{name}/next", Next);
        group.MapGet("/{name}/tasks", History);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<JobView>>> List(JobViews views, CancellationToken ct) =>
        TypedResults.Ok(await views.ListAsync(ct));

    public static async Task<Results<Created<JobView>, ProblemHttpResult>> Create(HttpRequest request, JobCommands commands, JobViews views, CancellationToken ct)
    {
        if (await BodyAsync(request, ct) is not { } body) return NotJson();
        var result = await commands.CreateAsync(body, ct);
        if (result.Status != JobCommandStatus.Created) return Failure(result);
        var view = await views.OfAsync(result.Entry!.Job, ct);
        return WithETag(TypedResults.Created($"/api/jobs/{view.Name}", view), request.HttpContext.Response, result.Entry.Stored);
    }

    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> Get(string name, JobCatalog catalog, JobViews views, HttpResponse response, CancellationToken ct) =>
        await catalog.GetEntryAsync(name, ct) is { } entry ? WithETag(TypedResults.Ok(await views.OfAsync(entry.Job, ct)), response, entry.Stored) : NoSuchJob(name);

    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> Replace(string name, HttpRequest request, JobCommands commands, JobViews views, CancellationToken ct)
    {
        if (await BodyAsync(request, ct) is not { } body) return NotJson();
        var result = await commands.ReplaceAsync(name, body, IfMatch(request), ct);
        return result.Status == JobCommandStatus.Ok
            ? WithETag(TypedResults.Ok(await views.OfAsync(result.Entry!.Job, ct)), request.HttpContext.Response, result.Entry.Stored)
            : Failure(result);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string name, HttpRequest request, JobCommands commands, TimeProvider time, CancellationToken ct)
    {
        var result = await commands.DeleteAsync(name, IfMatch(request), time.GetUtcNow(), ct);
        return result.Status == JobCommandStatus.Ok ? TypedResults.NoContent() : Failure(result);
    }

    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> SetEnabled(string name, bool enabled, JobCommands commands, JobViews views, HttpResponse response,
        CancellationToken ct)
    {
        var result = await commands.SetEnabledAsync(name, enabled, ct);
        return result.Status == JobCommandStatus.Ok ? WithETag(TypedResults.Ok(await views.OfAsync(result.Entry!.Job, ct)), response, result.Entry.Stored) : Failure(result);
    }

    /// <summary>Runs the job now. The firing key is the Idempotency-Key header when given (a retried request makes
    /// nothing new), else a fresh id.</summary>
    public static async Task<Results<Accepted<JobRunAnswer>, ProblemHttpResult>> Run(string name, HttpRequest request, JobCatalog catalog, JobLauncher launcher,
        CancellationToken ct)
    {
        if (await catalog.GetAsync(name, ct) is not { } job) return NoSuchJob(name);
        if (!job.Enabled) return Problem(409, "Job disabled", $"The job '{name}' is disabled; POST /api/jobs/{name}/enable first.");
        if (IdempotencyKey.Read(request, out var key) is { } bad) return bad;
        var launch = await launcher.FireAsync(job, new JobFiring("api:" + key, "run via API"), ct);
        return launch.Outcome == LaunchOutcome.SkippedWhileActive
            ? Problem(409, "A run is active", $"The job '{name}' has concurrency: forbid and a run is still active.")
            : TypedResults.Accepted($"/api/tasks/{launch.TaskId}", new JobRunAnswer(launch.TaskId, launch.Outcome == LaunchOutcome.Created, launch.Replaced));
    }

    public static async Task<Results<Ok<JobNextAnswer>, ProblemHttpResult>> Next(string name, int? count, JobCatalog catalog, TimeProvider time, CancellationToken ct)
    {
        if (await catalog.GetAsync(name, ct) is not { } job) return NoSuchJob(name);
        if (count is < 1 or > 100) return Problem(400, "Invalid query", "count must be between 1 and 100.", "count");
        if (job.Trigger.Kind != JobTriggerKind.Cron)
            return Problem(400, "Not a cron job", $"The job '{name}' has a {job.Trigger.Kind} trigger; only a cron trigger has next runs.", "trigger");
        if (CronSchedule.TryOf(job.Trigger) is not { } schedule)
            return Problem(400, "Schedule does not resolve", $"The cron expression or time zone of '{name}' does not resolve on this server.", "trigger.timeZone");
        return TypedResults.Ok(new JobNextAnswer(schedule.TimeZone.Id, schedule.Next(time.GetUtcNow(), count ?? 10)));
    }

    /// <summary>The job's runs newest first, a page at a time (<see cref="TaskPaging"/>).</summary>
    public static async Task<Results<Ok<IReadOnlyList<TaskSummary>>, ProblemHttpResult>> History(string name, string? limit, string? cursor, HttpContext context,
        JobCatalog catalog, TaskStore tasks, CancellationToken ct)
    {
        var query = new TaskListQuery(JobName: name);
        if (TaskPaging.Read(limit, cursor, query, out var size) is { } bad) return bad;
        var page = await tasks.PageAsync(query, cursor, size, ct);
        if (page.Tasks.Count == 0 && cursor is null && await catalog.GetAsync(name, ct) is null) return NoSuchJob(name);
        TaskPaging.LinkNext(context, page.Next);
        return TypedResults.Ok<IReadOnlyList<TaskSummary>>([.. page.Tasks.Select(TaskSummary.Of)]);
    }

    private static async Task<JsonElement?> BodyAsync(HttpRequest request, CancellationToken ct)
    {
        try { return (await JsonDocument.ParseAsync(request.Body, cancellationToken: ct)).RootElement; }
        catch (JsonException) { return null; }
    }

    private static string? IfMatch(HttpRequest request) => request.Headers.IfMatch.FirstOrDefault();

    /// <summary><paramref name="result"/>, with the job's stored version as the ETag header (for If-Match).</summary>
    private static T WithETag<T>(T result, HttpResponse response, StoredJob? stored)
    {
        if (stored is not null && stored.ETag != default) response.Headers.ETag = stored.ETag.ToString();
        return result;
    }

    private static ProblemHttpResult Failure(JobCommandResult r) => r.Status switch
    {
        JobCommandStatus.Invalid => Problem(400, "Invalid job definition", string.Join("; ", r.Errors!.Select(e => e.ToString())), r.Errors![0].Field,
            ("errors", r.Errors!.Select(e => new { e.Field, e.Message }).ToList())),
        JobCommandStatus.NotFound => Problem(404, "No such job", r.Detail!),
        JobCommandStatus.Conflict => Problem(409, "Conflict", r.Detail!),
        _ => Problem(412, "Precondition failed", r.Detail!, "If-Match"),
    };

    private static ProblemHttpResult NotJson() => Problem(400, "Invalid body", "The body must be a JSON object.", "body");

    private static ProblemHttpResult NoSuchJob(string name) => Problem(404, "No such job", $"No job named '{name}'.");
}

public sealed record JobRunAnswer(string TaskId, bool Created, int Replaced);

public sealed record JobNextAnswer(string TimeZone, IReadOnlyList<DateTimeOffset> Runs);
