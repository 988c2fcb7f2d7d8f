using ReviewBot.Functions.Hosting.Functions;

namespace ReviewBot.Functions.Hosting;

public static class HostingRegistration
{
    /// <summary>Process-wide services: the clock, problem details for every error, health; the custom-handler
    /// shape under the Azure Functions host.</summary>
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        builder.AddCustomHandler();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.AddRequestLimits();
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
        app.MapCustomHandler();
        return app;
    }
}
