using Microsoft.AspNetCore.Http.HttpResults;
using static ReviewBot.Functions.Hosting.Http.Problems;

namespace ReviewBot.Functions.Agents;

public static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/agents").WithTags("Agents");
        group.MapGet("/", List);
        group.MapGet("/{nodeId}", Get);
        group.MapPost("/{nodeId}/drain", Drain);
        group.MapPost("/{nodeId}/pause", Pause);
        group.MapPost("/{nodeId}/resume", Resume);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<AgentView>>> List(AgentDirectory directory, CancellationToken ct) =>
        TypedResults.Ok(await directory.ListAsync(ct));

    public static async Task<Results<Ok<AgentView>, ProblemHttpResult>> Get(string nodeId, AgentDirectory directory, CancellationToken ct)
    {
        var view = (await directory.ListAsync(ct)).FirstOrDefault(v => v.NodeId == nodeId);
        return view is null ? NotFound(nodeId) : TypedResults.Ok(view);
    }

    /// <summary>No new tasks for this agent; the ones it runs finish. Lasts until resumed.</summary>
    public static Task<Results<Ok<AgentView>, ProblemHttpResult>> Drain(string nodeId, AgentRegistry registry, AgentDirectory directory, CancellationToken ct) =>
        Change(nodeId, registry.SetAvailability(nodeId, draining: true, pausedUntil: null, resume: false), directory, ct);

    /// <summary>No new tasks until a time (<c>until</c>) or for a while (<c>for</c>).</summary>
    public static async Task<Results<Ok<AgentView>, ProblemHttpResult>> Pause(
        string nodeId, PauseRequest? request, AgentRegistry registry, AgentDirectory directory, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        DateTimeOffset until;
        if (request is { Until: { } u, For: null }) until = u;
        else if (request is { For: { } f, Until: null }) until = now + f;
        else return Invalid("until", "Give either \"until\" (a time, e.g. \"2026-11-24T08:00:00Z\") or \"for\" (a duration, e.g. \"01:00:00\").");
        if (until <= now) return Invalid(request.Until is null ? "for" : "until", "The pause must end in the future.");
        return await Change(nodeId, registry.SetAvailability(nodeId, draining: null, pausedUntil: until, resume: false), directory, ct);
    }

    /// <summary>Ends a drain or pause asked for through the API.</summary>
    public static Task<Results<Ok<AgentView>, ProblemHttpResult>> Resume(string nodeId, AgentRegistry registry, AgentDirectory directory, CancellationToken ct) =>
        Change(nodeId, registry.SetAvailability(nodeId, draining: null, pausedUntil: null, resume: true), directory, ct);

    private static async Task<Results<Ok<AgentView>, ProblemHttpResult>> Change(string nodeId, bool known, AgentDirectory directory, CancellationToken ct) =>
        known ? await Get(nodeId, directory, ct) : NotFound(nodeId);

    private static ProblemHttpResult NotFound(string nodeId) => Problem(404, "No such agent", $"No agent with node id '{nodeId}' is known.");

    private static ProblemHttpResult Invalid(string field, string detail) => Problem(400, "Invalid pause", detail, field);
}

/// <summary>Body of <c>POST /api/agents/{nodeId}/pause</c>: one of the two.</summary>
public sealed record PauseRequest(DateTimeOffset? Until, TimeSpan? For);
