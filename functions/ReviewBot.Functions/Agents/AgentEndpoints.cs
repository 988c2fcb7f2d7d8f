using Microsoft.AspNetCore.Http.HttpResults;

namespace ReviewBot.Functions.Agents;

public static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/agents").WithTags("Agents");
        group.MapGet("/", List);
        group.MapGet("/{nodeId}", Get);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<AgentView>>> List(AgentDirectory directory, CancellationToken ct) =>
        TypedResults.Ok(await directory.ListAsync(ct));

    public static async Task<Results<Ok<AgentView>, ProblemHttpResult>> Get(string nodeId, AgentDirectory directory, CancellationToken ct)
    {
        var view = (await directory.ListAsync(ct)).FirstOrDefault(v => v.NodeId == nodeId);
        return view is null
            ? TypedResults.Problem(statusCode: 404, title: "No such agent", detail: $"No agent with node id '{nodeId}' is known.")
            : TypedResults.Ok(view);
    }
}
