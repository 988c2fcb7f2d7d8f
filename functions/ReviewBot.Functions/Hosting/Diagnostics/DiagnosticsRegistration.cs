using Microsoft.Extensions.DependencyInjection.Extensions;
using ReviewBot.Functions.Hosting.Http;

namespace ReviewBot.Functions.Hosting.Diagnostics;

public static class DiagnosticsRegistration
{
    /// <summary>What every capability records its metrics with: the settings, this app's meters and tag caps, the code
    /// hosts' request counters. The OpenTelemetry pipeline that exports them is <c>AddReviewBotTelemetry</c>.</summary>
    public static WebApplicationBuilder AddDiagnostics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<ReviewBotMeters>();
        builder.Services.TryAddSingleton<CodeHostMetrics>();
        return builder;
    }
}
