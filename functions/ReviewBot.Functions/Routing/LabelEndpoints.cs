namespace ReviewBot.Functions.Routing;

// TEMPORARY placeholder until the label-filter branch is merged (it owns this file).
public static class LabelEndpoints
{
    public static IEndpointRouteBuilder MapLabelEndpoints(this IEndpointRouteBuilder app) => app;
}
