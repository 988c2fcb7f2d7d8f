using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace ReviewBot.Tests.Hosting;

/// <summary>
/// A local stand-in for the Azure Functions host driving a custom-handler package (research/azure.md §1.3–1.5), since
/// Core Tools cannot be installed here. Like the host it reads host.json and the function.json folders of an
/// unpacked package, starts <c>customHandler.description.defaultExecutablePath</c> from the app root with
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> (a free port) and the app settings as environment variables, polls
/// <c>GET /</c> until anything answers, and then:
/// <list type="bullet">
/// <item><see cref="SendAsync"/> plays a client calling the function app: the path must match the route of an
/// httpTrigger function under routePrefix (else 404, as the host answers), then the request is forwarded like
/// <c>enableForwardingHttpRequest</c> does: same method, path (with <c>/api</c>) and query, all headers plus the host's
/// own, and the body only when Content-Length is above zero (the legacy forwarder drops chunked bodies);</item>
/// <item><see cref="InvokeTimerAsync"/> posts a timer invocation <c>{ "Data": { binding: TimerInfo }, "Metadata": { "sys": … } }</c>
/// to <c>POST /{FunctionName}</c> and returns the handler's JSON answer, failing on a non-2xx status as the host does.</item>
/// </list>
/// </summary>
public sealed class FunctionsHostStandIn : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly HttpClient _handler;
    private readonly List<(string Name, string[] Methods, TemplateMatcher Matcher)> _http = [];
    private readonly Dictionary<string, JsonObject> _timers = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _routePrefix;

    private FunctionsHostStandIn(string appRoot, IReadOnlyDictionary<string, string> settings)
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(appRoot, "host.json")))!.AsObject();
        var handler = host["customHandler"]!;
        if (handler["enableForwardingHttpRequest"]?.GetValue<bool>() != true)
            throw new InvalidOperationException("host.json: this stand-in forwards HTTP requests; enableForwardingHttpRequest must be true.");
        _routePrefix = host["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
        foreach (var dir in Directory.EnumerateDirectories(appRoot))
        {
            var file = Path.Combine(dir, "function.json");
            if (!File.Exists(file)) continue;
            var name = Path.GetFileName(dir);
            var bindings = JsonNode.Parse(File.ReadAllText(file))!["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList();
            var trigger = bindings.Single(b => b["direction"]!.GetValue<string>() == "in");
            switch (trigger["type"]!.GetValue<string>())
            {
                case "httpTrigger":
                    var route = trigger["route"]?.GetValue<string>() ?? name;
                    var methods = trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).ToArray() ?? [];
                    _http.Add((name, methods, new TemplateMatcher(TemplateParser.Parse(Combine(_routePrefix, route)), new RouteValueDictionary())));
                    break;
                case "timerTrigger":
                    _timers[name] = trigger;
                    break;
                default:
                    throw new InvalidOperationException($"{name}: trigger type {trigger["type"]} is not built into the host without a bundle");
            }
        }

        var executable = Path.Combine(appRoot, handler["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Port = FreePort.Next();
        var psi = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Path.Combine(appRoot, handler["description"]!["workingDirectory"]?.GetValue<string>() ?? ""),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in handler["description"]!["arguments"]?.AsArray() ?? []) psi.ArgumentList.Add(a!.GetValue<string>());
        foreach (var (k, v) in settings) psi.Environment[k] = v;
        psi.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = Port.ToString();
        psi.Environment["FUNCTIONS_HTTPWORKER_PORT"] = Port.ToString();
        psi.Environment["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = Guid.NewGuid().ToString();
        psi.Environment["FUNCTIONS_APP_ROOT_PATH"] = appRoot;
        // Starting fails here, as on Linux in Azure, when the executable lost its +x bit.
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _handler = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{Port}"),
            Timeout = Timeouts.Long,
        };
    }

    /// <summary>The handler's port (127.0.0.1 only).</summary>
    public int Port { get; }
    public IReadOnlyCollection<string> HttpFunctions => [.. _http.Select(f => f.Name)];
    public IReadOnlyCollection<string> TimerFunctions => _timers.Keys;
    public string Output => string.Join('\n', _output);

    public static async Task<FunctionsHostStandIn> StartAsync(string appRoot, IReadOnlyDictionary<string, string> settings, TimeSpan startTimeout)
    {
        var host = new FunctionsHostStandIn(appRoot, settings);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            // The host polls GET / every 25 ms; any answer at all means ready.
            try
            {
                using var probe = await host._handler.GetAsync("/");
                return host;
            }
            catch (HttpRequestException) when (clock.Elapsed < startTimeout && !host._process.HasExited)
            {
                await Task.Delay(25);
            }
            catch (HttpRequestException)
            {
                var output = host.Output;
                await host.DisposeAsync();
                throw new TimeoutException($"The custom handler did not answer GET / within {startTimeout.TotalSeconds:0} s. Output:\n{output}");
            }
        }
    }

    /// <summary>A client's request to the function app (path with the route prefix, e.g. /api/health).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString.Split('?')[0];
        var query = request.RequestUri.IsAbsoluteUri ? request.RequestUri.Query : (request.RequestUri.OriginalString.Contains('?') ? "?" + request.RequestUri.OriginalString.Split('?', 2)[1] : "");
        var function = _http.FirstOrDefault(f => (f.Methods.Length == 0 || f.Methods.Contains(request.Method.Method)) && f.Matcher.TryMatch(path, new RouteValueDictionary()));
        if (function.Name is null) return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("no function matches " + path) };

        var forwarded = new HttpRequestMessage(request.Method, path + query);
        foreach (var h in request.Headers) forwarded.Headers.TryAddWithoutValidation(h.Key, h.Value);
        if (request.Content is { } content && content.Headers.ContentLength is > 0)
        {
            var body = await content.ReadAsByteArrayAsync();
            forwarded.Content = new ByteArrayContent(body);
            foreach (var h in content.Headers) forwarded.Content.Headers.TryAddWithoutValidation(h.Key, h.Value);
        }
        AddHostHeaders(forwarded);
        return await _handler.SendAsync(forwarded);
    }

    /// <summary>What the host sends for one firing of a timer function; returns the handler's JSON answer.</summary>
    public async Task<JsonElement> InvokeTimerAsync(string name, bool isPastDue = false)
    {
        var trigger = _timers[name];
        var now = DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject
            {
                [trigger["name"]!.GetValue<string>()] = new JsonObject
                {
                    ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                    ["ScheduleStatus"] = new JsonObject { ["Last"] = now.AddSeconds(-10).ToString("O"), ["Next"] = now.AddSeconds(10).ToString("O"), ["LastUpdated"] = now.AddSeconds(-10).ToString("O") },
                    ["IsPastDue"] = isPastDue,
                },
            },
            ["Metadata"] = new JsonObject { ["sys"] = new JsonObject { ["MethodName"] = name, ["UtcNow"] = now.ToString("O"), ["RandGuid"] = Guid.NewGuid().ToString() } },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + name) { Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json") };
        AddHostHeaders(request);
        using var response = await _handler.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"Timer {name}: the handler answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static void AddHostHeaders(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.TryAddWithoutValidation("X-Azure-Functions-HostVersion", "4.1040.0");
        request.Headers.Remove("User-Agent");
        request.Headers.TryAddWithoutValidation("User-Agent", "Azure-Functions-Host/4.1040.0");
    }

    private static string Combine(string prefix, string route) => string.IsNullOrEmpty(prefix) ? route : $"{prefix}/{route}";

    public async ValueTask DisposeAsync()
    {
        _handler.Dispose();
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        try { await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)); } catch (TimeoutException) { }
        _process.Dispose();
    }
}
