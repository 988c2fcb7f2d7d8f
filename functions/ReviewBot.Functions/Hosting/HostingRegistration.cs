using ReviewBot.Functions.Hosting.Diagnostics;

namespace ReviewBot.Functions.Hosting;

public static class HostingRegistration
{
    /// <summary>Process-wide services: the clock, problem details for every error, health, request limits.</summary>
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.AddRequestLimits();
        builder.AddDiagnostics();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });
        return builder;
    }

    public static WebApplication UseHosting(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/api/health", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health");
        return app;
    }
}
