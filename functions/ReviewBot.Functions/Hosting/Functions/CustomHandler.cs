using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ReviewBot.Functions.Hosting.Functions;

/// <summary>
/// The app as an Azure Functions custom handler (research/azure.md §1.3–1.5). The host starts this executable with
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, waits for any answer to <c>GET /</c>, forwards HTTP functions as the original
/// request (<c>/api/...</c> paths, the app's own endpoints) and posts timer invocations to <c>POST /{FunctionName}</c>
/// as <c>{ "Data": { "timer": TimerInfo }, "Metadata": { "sys": ... } }</c>, expecting
/// <c>{ "Outputs": {}, "Logs": [...], "ReturnValue": null }</c> back with status 200.
/// </summary>
public static partial class CustomHandler
{
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";
    private const string LegacyPortVariable = "FUNCTIONS_HTTPWORKER_PORT";

    /// <summary>The binding name of the timer trigger in every generated timer function.json.</summary>
    public const string TimerBinding = "timer";

    private static readonly JsonSerializerOptions PascalCase = new() { PropertyNamingPolicy = null, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>The port the Functions host chose, when the app runs under it.</summary>
    public static int? Port(IConfiguration configuration) =>
        int.TryParse(configuration[PortVariable] ?? configuration[LegacyPortVariable], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536 ? p : null;

    /// <summary>Under the host: Kestrel on 127.0.0.1:port only (nothing else may reach the handler), timers driven by the host
    /// unless <c>ReviewBot:Hosting:TimersDrivenByHost</c> says otherwise.</summary>
    public static WebApplicationBuilder AddCustomHandler(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HostingOptions>().BindConfiguration(HostingOptions.Section)
            .PostConfigure<IConfiguration>((o, c) => o.TimersDrivenByHost ??= Port(c) is not null);
        builder.Services.AddSingleton<TimerHosting>();
        if (Port(builder.Configuration) is { } port)
            builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        return builder;
    }

    /// <summary>Under the Functions host: <c>GET /</c> for its readiness probe (self-hosted, "/" is the dashboard's
    /// index page, which static files serve only when no endpoint matched), and <c>POST /{name}</c> for each
    /// registered timer function, mapped when the host drives the timers.</summary>
    public static WebApplication MapCustomHandler(this WebApplication app)
    {
        if (Port(app.Configuration) is not null)
            app.MapGet("/", () => TypedResults.Text("ReviewBot is running.")).ExcludeFromFunctions("the Functions host's readiness probe");
        if (!app.Services.GetRequiredService<TimerHosting>().DrivenByHost) return app;
        foreach (var timer in app.Services.GetServices<TimerFunction>())
            app.MapPost("/" + timer.Name, (HttpContext context, IServiceProvider services, ILoggerFactory logs) => InvokeAsync(timer, context, services, logs))
                .ExcludeFromFunctions("a timer invocation from the Functions host").DisableAntiforgery();
        return app;
    }

    private static async Task<Results<JsonHttpResult<InvocationResult>, ProblemHttpResult>> InvokeAsync(TimerFunction timer, HttpContext context, IServiceProvider services, ILoggerFactory logs)
    {
        var log = logs.CreateLogger(typeof(CustomHandler).FullName!);
        TimerInvocation invocation;
        try { invocation = await ReadInvocationAsync(context.Request, context.RequestAborted); }
        catch (JsonException e)
        {
            return TypedResults.Problem(statusCode: 400, title: "Not a timer invocation", detail: $"The body is not the Functions host's {{Data, Metadata}} JSON: {e.Message}");
        }
        var clock = Stopwatch.StartNew();
        try
        {
            await timer.Run(services, invocation, context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A non-2xx answer makes the host fail the invocation; it logs it, and so do we.
            LogTimerFailed(log, timer.Name, e);
            return TypedResults.Problem(statusCode: 500, title: $"Timer {timer.Name} failed", detail: e.Message);
        }
        invocation.Log($"{timer.Name} ran in {clock.ElapsedMilliseconds} ms{(invocation.IsPastDue ? " (past due)" : "")}");
        return TypedResults.Json(new InvocationResult(new Dictionary<string, object?>(), invocation.Logs, null), PascalCase);
    }

    /// <summary>Reads <c>Data.timer</c> (or the first binding value that looks like a TimerInfo): IsPastDue.</summary>
    public static async Task<TimerInvocation> ReadInvocationAsync(HttpRequest request, CancellationToken ct)
    {
        using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !TryGet(doc.RootElement, "Data", out var data) || data.ValueKind != JsonValueKind.Object)
            throw new JsonException("no Data object");
        JsonElement? info = TryGet(data, TimerBinding, out var named) ? named : null;
        info ??= data.EnumerateObject().Select(p => p.Value).FirstOrDefault(v => v.ValueKind == JsonValueKind.Object && TryGet(v, "IsPastDue", out _));
        if (info is not { ValueKind: JsonValueKind.Object } timer) return new TimerInvocation(false);
        return new TimerInvocation(TryGet(timer, "IsPastDue", out var p) && p.ValueKind == JsonValueKind.True);
    }

    /// <summary>Property lookup ignoring case: the host writes PascalCase, hand-made payloads may not.</summary>
    private static bool TryGet(JsonElement e, string name, out JsonElement value)
    {
        foreach (var p in e.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) { value = p.Value; return true; }
        value = default;
        return false;
    }

    /// <summary>The payload-protocol response (HttpScriptInvocationResult).</summary>
    public sealed record InvocationResult(Dictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue);

    [LoggerMessage(EventId = 901, Level = LogLevel.Error, Message = "Timer {Name} invoked by the Functions host failed")]
    private static partial void LogTimerFailed(ILogger logger, string name, Exception e);
}
