using Azure.Monitor.OpenTelemetry.AspNetCore;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ReviewBot.Functions.Auth;
using ReviewBot.Functions.Hosting.Diagnostics;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Reporting;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Telemetry;

/// <summary>
/// The one OpenTelemetry pipeline of the app (self-hosted and in the Functions worker, which builds the same app):
/// metrics from this app's <c>ReviewBot.*</c> meters and <c>ReviewBot.Storage</c>, ASP.NET Core, HttpClient and the
/// runtime; spans from <see cref="ReviewBotTracing"/>, ASP.NET Core and HttpClient. Exporters: Prometheus at
/// <see cref="MetricsPath"/> always; OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard <c>OTEL_*</c>
/// variables configure it); Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set.
/// <c>ReviewBot:Telemetry:Enabled=false</c> leaves the SDK out (instruments then record nothing).
/// </summary>
public static class TelemetryRegistration
{
    public const string MetricsPath = "/metrics";

    /// <summary>The same exporter under <c>/api</c>: the one path a Functions host (route prefix <c>api</c>) reaches;
    /// a read key as every <c>/api</c> read.</summary>
    public const string ApiMetricsPath = "/api/metrics";
    public const string ServiceName = "reviewbot-server";

    public static WebApplicationBuilder AddReviewBotTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // The instrument classes exist either way: capabilities record into them, and without a listener that costs nothing.
        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<ReportMetrics>();
        services.AddSingleton<TaskMetrics>();
        services.AddSingleton<TaskSpans>();
        services.AddSingleton<AgentMetrics>();
        services.AddSingleton<ProcessMetrics>();

        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.Enabled) return builder;

        // Trace and span ids in every log scope (a console logger with IncludeScopes prints them).
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        var owner = new MeterOwner();
        services.AddSingleton(owner);
        var azureMonitor = !string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ReviewBotMeters.Prefix + "*").AddRuntimeInstrumentation();
                if (!azureMonitor) metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                metrics.AddView(owner.View);
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = (int)options.ScrapeCache.TotalMilliseconds);
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(ReviewBotTracing.SourceName);
                if (!azureMonitor)
                    tracing.AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments(MetricsPath) && !c.Request.Path.StartsWithSegments("/api/health"))
                        .AddHttpClientInstrumentation();
            });
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) otel.UseOtlpExporter();
        if (azureMonitor) otel.UseAzureMonitor();
        return builder;
    }

    /// <summary>Serves <see cref="MetricsPath"/> (Prometheus text; a read API key unless
    /// <see cref="TelemetryOptions.AnonymousMetrics"/>) and <see cref="ApiMetricsPath"/>, and starts the observers of the tasks and agents.</summary>
    public static WebApplication MapReviewBotTelemetry(this WebApplication app)
    {
        app.Services.GetRequiredService<TaskMetrics>();
        app.Services.GetRequiredService<TaskSpans>();
        app.Services.GetRequiredService<AgentMetrics>();
        app.Services.GetRequiredService<ProcessMetrics>();
        var options = app.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.Enabled) return app;
        var owner = app.Services.GetRequiredService<MeterOwner>();
        owner.Meters = app.Services.GetRequiredService<ReviewBotMeters>();
        owner.Storage = app.Services.GetRequiredService<StorageAccount>().Metering.Meter;
        var scrape = app.MapPrometheusScrapingEndpoint(MetricsPath).WithTags("Metrics");
        if (!options.AnonymousMetrics) scrape.RequireAuthorization(ApiAccess.ReadPolicy);
        app.MapPrometheusScrapingEndpoint(ApiMetricsPath).WithTags("Metrics");
        return app;
    }

    /// <summary>Meters are process-wide by name: several apps in one process (the tests) would each export the
    /// others' instruments. This view drops every ReviewBot instrument this app did not create. Its owners are set when
    /// the app is mapped, before the host starts the meter provider (which asks the view about each instrument).</summary>
    private sealed class MeterOwner
    {
        public ReviewBotMeters? Meters { get; set; }
        public System.Diagnostics.Metrics.Meter? Storage { get; set; }

        public MetricStreamConfiguration? View(System.Diagnostics.Metrics.Instrument instrument)
        {
            var meter = instrument.Meter;
            if (!meter.Name.StartsWith(ReviewBotMeters.Prefix, StringComparison.Ordinal)) return null;
            return Meters is not null && ReferenceEquals(meter.Scope, Meters) || Storage is not null && ReferenceEquals(meter, Storage) ? null : MetricStreamConfiguration.Drop;
        }
    }
}
