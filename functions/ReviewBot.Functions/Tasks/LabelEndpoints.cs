using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Core.Labels;

namespace ReviewBot.Functions.Tasks;

/// <summary>Lets people try a label filter against a set of agent labels before putting it in config.</summary>
public static class LabelEndpoints
{
    public static IEndpointRouteBuilder MapLabelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/labels/evaluate", EvaluateAsync)
            .WithName("EvaluateLabelFilter")
            .WithSummary("Evaluates a label filter against agent labels")
            .WithTags("Labels");
        return app;
    }

    /// <summary>POST {"filter": "...", "labels": ["..."]} → {"matches": bool}, or 400 problem+json (with "position" for syntax errors).</summary>
    internal static async Task<Results<Ok<LabelEvaluation>, ProblemHttpResult>> EvaluateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, error) = await EvaluateLabelsRequest.ReadAsync(request.Body, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(detail: error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
        }
        try
        {
            return TypedResults.Ok(new LabelEvaluation(LabelFilter.Parse(body.Filter).Matches(body.Labels)));
        }
        catch (LabelFilterSyntaxException ex)
        {
            return TypedResults.Problem(
                detail: ex.Detail,
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid label filter",
                extensions: new Dictionary<string, object?> { ["position"] = ex.Position });
        }
    }
}

public sealed record LabelEvaluation(bool Matches);
