using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using ReviewBot.Tests.Functions.Rpc;

namespace ReviewBot.Tests.Functions.FunctionsHost;

/// <summary>
/// A local stand-in for the Azure Functions host driving a .NET isolated worker (Core Tools cannot be installed here).
/// Like the host, it reads the app root's <c>worker.config.json</c> and <c>host.json</c>, starts the worker
/// (<c>dotnet ReviewBot.Functions.Worker.dll</c>, cwd the app root) with the host's arguments, and speaks FunctionRpc
/// over gRPC (its own minimal .proto, <c>Protos/function_rpc.proto</c>): the worker's StartStream, then
/// WorkerInitRequest → WorkerInitResponse (the worker's <c>HttpUri</c> capability), FunctionsMetadataRequest →
/// FunctionMetadataResponse, one FunctionLoadRequest per function, InvocationRequests, and WorkerTerminate at the end.
/// <list type="bullet">
/// <item>HTTP: <see cref="Url"/> is the function app's address. A request whose path and method match an httpTrigger
/// function's route under routePrefix is proxied as the host does with ASP.NET Core integration: an InvocationRequest
/// and, at the same time, the request itself to the worker's <c>HttpUri</c> with <c>x-ms-invocation-id</c> and
/// X-Forwarded-* headers; the worker's response streams back. No matching function: 404, as the host answers.</item>
/// <item>Timers: <see cref="InvokeTimerAsync"/> sends the InvocationRequest the host sends when a schedule fires.</item>
/// </list>
/// Not covered (as with any stand-in): the host's function keys and admin API, its HTTP limits and throttles, the
/// timer trigger's schedule monitor and singleton lock, scale controller, App Insights, placeholder mode.
/// </summary>
public sealed class FunctionsHostStandIn : IAsyncDisposable
{
    public const string HostVersion = "4.1040.0";
    private readonly string _appRoot;
    private readonly WebApplication _server;
    private readonly Channel<StreamingMessage> _toWorker = Channel.CreateUnbounded<StreamingMessage>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _awaited = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<RpcLog> _logs = new();
    private readonly List<ProxiedRequest> _requests = [];
    private readonly List<(Func<ProxiedRequest, bool> Match, TaskCompletionSource Done)> _requestWaiters = [];
    private readonly List<(string Text, TaskCompletionSource Done)> _outputWaiters = [];
    private readonly List<HttpRoute> _routes = [];
    private readonly Dictionary<string, LoadedFunction> _functions = new(StringComparer.OrdinalIgnoreCase);
    private readonly HttpClient _workerHttp = new(new RetryProxyHandler(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })) { Timeout = Timeouts.Long };
    private readonly Stopwatch _sinceStart = new();
    private Process? _worker;
    private Uri? _workerUri;
    private readonly string _routePrefix;
    private bool _disposed;

    private FunctionsHostStandIn(string appRoot)
    {
        _appRoot = appRoot;
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(appRoot, "host.json")))!;
        _routePrefix = host["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
        GrpcPort = FreePort.Next();
        var publicPort = FreePort.Next();
        Url = $"http://127.0.0.1:{publicPort}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, GrpcPort, l => l.Protocols = HttpProtocols.Http2);
            k.Listen(IPAddress.Loopback, publicPort, l => l.Protocols = HttpProtocols.Http1);
            k.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddGrpc(o => { o.MaxReceiveMessageSize = null; o.MaxSendMessageSize = null; });
        builder.Services.AddSingleton(this);
        _server = builder.Build();
        _server.MapGrpcService<FunctionRpcService>();
        _server.Map("{**path}", ProxyAsync);
    }

    /// <summary>The function app's address (what clients, agents and the SignalR Service's upstream call).</summary>
    public string Url { get; }
    public int GrpcPort { get; }
    /// <summary>From starting the worker process until every function was loaded.</summary>
    public TimeSpan Startup { get; private set; }
    /// <summary>Time since the worker process was started.</summary>
    public TimeSpan SinceStart => _sinceStart.Elapsed;
    /// <summary>The functions the worker reported (FunctionMetadataResponse), by name.</summary>
    public IReadOnlyDictionary<string, LoadedFunction> Functions => _functions;
    /// <summary>The worker's capabilities (WorkerInitResponse).</summary>
    public IReadOnlyDictionary<string, string> Capabilities { get; private set; } = new Dictionary<string, string>();
    public string Output => string.Join('\n', _output);
    public IReadOnlyList<RpcLog> Logs => [.. _logs];
    public IReadOnlyList<ProxiedRequest> Requests { get { lock (_requests) return [.. _requests]; } }

    public static async Task<FunctionsHostStandIn> StartAsync(string appRoot, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var host = new FunctionsHostStandIn(appRoot);
        try
        {
            await host._server.StartAsync();
            await host.StartWorkerAsync(settings, timeout);
            return host;
        }
        catch
        {
            var output = host.Output;
            await host.DisposeAsync();
            throw new InvalidOperationException("The worker did not start. Its output:\n" + output);
        }
    }

    private async Task StartWorkerAsync(IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var description = JsonNode.Parse(File.ReadAllText(Path.Combine(_appRoot, "worker.config.json")))!["description"]!;
        var psi = new ProcessStartInfo(description["defaultExecutablePath"]!.GetValue<string>())
        {
            WorkingDirectory = _appRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(_appRoot, description["defaultWorkerPath"]!.GetValue<string>()));
        var workerId = Guid.NewGuid().ToString();
        var requestId = Guid.NewGuid().ToString();
        // Both argument sets, as the host passes them; Worker 2.x reads the --functions-* ones.
        string[] args =
        [
            "--host", "127.0.0.1", "--port", GrpcPort.ToString(), "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", "2147483647",
            "--functions-uri", $"http://127.0.0.1:{GrpcPort}/", "--functions-worker-id", workerId, "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", "2147483647",
        ];
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in settings) psi.Environment[k] = v;
        psi.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        psi.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = _appRoot;
        psi.Environment["FUNCTIONS_WORKER_DIRECTORY"] = _appRoot;
        psi.Environment["AzureWebJobsScriptRoot"] = _appRoot;

        var started = Awaited("start");
        _sinceStart.Start();
        _worker = Process.Start(psi)!;
        _worker.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _worker.ErrorDataReceived += (_, e) => OnOutput(e.Data);
        _worker.BeginOutputReadLine();
        _worker.BeginErrorReadLine();
        var exited = _worker.WaitForExitAsync();
        async Task<StreamingMessage> Next(Task<StreamingMessage> reply, string what)
        {
            var first = await Task.WhenAny(reply, exited).WithTimeout(timeout, what);
            if (first == exited) throw new InvalidOperationException($"The worker exited with {_worker!.ExitCode} while waiting for {what}.");
            return await reply;
        }

        var start = await Next(started, "the worker's StartStream");
        if (start.StartStream.WorkerId != workerId) throw new InvalidOperationException($"StartStream named worker {start.StartStream.WorkerId}, not {workerId}.");

        var init = Awaited("init");
        await SendAsync(new StreamingMessage
        {
            RequestId = requestId,
            WorkerInitRequest = new WorkerInitRequest { HostVersion = HostVersion, WorkerDirectory = _appRoot, FunctionAppDirectory = _appRoot },
        });
        var initResponse = (await Next(init, "WorkerInitResponse")).WorkerInitResponse;
        Check(initResponse.Result, "WorkerInitResponse");
        Capabilities = new Dictionary<string, string>(initResponse.Capabilities);
        _workerUri = Capabilities.TryGetValue("HttpUri", out var uri) ? new Uri(uri) : null;

        var metadata = Awaited("metadata");
        await SendAsync(new StreamingMessage { RequestId = requestId, FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = _appRoot } });
        var metadataResponse = (await Next(metadata, "FunctionMetadataResponse")).FunctionMetadataResponse;
        Check(metadataResponse.Result, "FunctionMetadataResponse");
        if (metadataResponse.UseDefaultMetadataIndexing) throw new NotSupportedException("The worker asked for host indexing (functions.metadata); this stand-in expects worker indexing.");

        var loads = new List<Task<StreamingMessage>>();
        foreach (var f in metadataResponse.FunctionMetadataResults)
        {
            var id = string.IsNullOrEmpty(f.FunctionId) ? Guid.NewGuid().ToString() : f.FunctionId;
            f.FunctionId = id;
            var bindings = f.RawBindings.Select(b => JsonNode.Parse(b)!.AsObject()).ToList();
            var trigger = bindings.Single(b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
            var loaded = new LoadedFunction(f.Name, id, trigger["type"]!.GetValue<string>(), trigger["name"]!.GetValue<string>(), bindings);
            _functions[f.Name] = loaded;
            if (string.Equals(loaded.TriggerType, "httpTrigger", StringComparison.OrdinalIgnoreCase))
            {
                var route = trigger["route"]?.GetValue<string>() ?? f.Name;
                var methods = trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).ToArray() ?? [];
                _routes.Add(new(loaded, methods, new TemplateMatcher(TemplateParser.Parse(string.IsNullOrEmpty(_routePrefix) ? route : $"{_routePrefix}/{route}"), [])));
            }
            loads.Add(Awaited("load:" + id));
            await SendAsync(new StreamingMessage { RequestId = requestId, FunctionLoadRequest = new FunctionLoadRequest { FunctionId = id, Metadata = f } });
        }
        foreach (var load in loads)
        {
            var response = (await Next(load, "FunctionLoadResponse")).FunctionLoadResponse;
            Check(response.Result, $"FunctionLoadResponse {response.FunctionId}");
        }
        Startup = _sinceStart.Elapsed;
    }

    /// <summary>The host firing a timer function: the InvocationRequest with the TimerInfo JSON as the trigger's input.</summary>
    public async Task<InvocationOutcome> InvokeTimerAsync(string name, bool isPastDue = false)
    {
        var function = _functions[name];
        if (!string.Equals(function.TriggerType, "timerTrigger", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"{name} is not a timer function");
        var now = DateTimeOffset.UtcNow;
        var timerInfo = new JsonObject
        {
            ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = new JsonObject { ["Last"] = now.AddSeconds(-10).ToString("O"), ["Next"] = now.AddSeconds(10).ToString("O"), ["LastUpdated"] = now.AddSeconds(-10).ToString("O") },
            ["IsPastDue"] = isPastDue,
        };
        var invocationId = Guid.NewGuid().ToString();
        var request = NewInvocation(invocationId, function);
        request.InputData.Add(new ParameterBinding { Name = function.TriggerName, Data = new TypedData { Json = timerInfo.ToJsonString() } });
        var response = await InvokeAsync(request);
        return new InvocationOutcome(response.Result, [.. _logs.Where(l => l.InvocationId == invocationId).Select(l => l.Message)]);
    }

    private InvocationRequest NewInvocation(string invocationId, LoadedFunction function) => new()
    {
        InvocationId = invocationId,
        FunctionId = function.Id,
        // The host always sends a trace context; the worker fails every invocation without one.
        TraceContext = new RpcTraceContext { TraceParent = $"00-{Guid.NewGuid():N}-{Guid.NewGuid().ToString("N")[..16]}-01" },
    };

    private async Task<InvocationResponse> InvokeAsync(InvocationRequest request)
    {
        var reply = Awaited("invoke:" + request.InvocationId);
        await SendAsync(new StreamingMessage { RequestId = Guid.NewGuid().ToString(), InvocationRequest = request });
        return (await reply.WithTimeout(Timeouts.Long, $"InvocationResponse {request.InvocationId}")).InvocationResponse;
    }

    private async Task ProxyAsync(HttpContext context)
    {
        var request = context.Request;
        var route = _routes.Select(r => (Route: r, Values: new RouteValueDictionary()))
            .FirstOrDefault(r => (r.Route.Methods.Length == 0 || r.Route.Methods.Contains(request.Method.ToUpperInvariant())) && r.Route.Matcher.TryMatch(request.Path, r.Values));
        if (route.Route is null)
        {
            Record(new ProxiedRequest(request.Method, request.Path + request.QueryString, 404, null, "no function matches"));
            context.Response.StatusCode = 404;
            return;
        }
        var invocationId = Guid.NewGuid().ToString();
        var invocation = NewInvocation(invocationId, route.Route.Function);
        invocation.InputData.Add(new ParameterBinding
        {
            Name = route.Route.Function.TriggerName,
            Data = new TypedData { Http = new RpcHttp { Method = request.Method, Url = $"{Url}{request.Path}{request.QueryString}" } },
        });
        foreach (var (k, v) in route.Values) invocation.TriggerMetadata[k] = new TypedData { String = v?.ToString() ?? "" };
        var invoked = InvokeAsync(invocation);

        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_workerUri!, request.Path + request.QueryString));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            forward.Content = new StreamContent(request.Body);
            await forward.Content.LoadIntoBufferAsync(); // so that a retry (RetryProxyHandler) can send it again
        }
        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name) || string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase)) continue;
            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values)) forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        forward.Headers.TryAddWithoutValidation("x-ms-invocation-id", invocationId);
        forward.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        forward.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        forward.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);

        int status;
        try
        {
            using var response = await _workerHttp.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            status = (int)response.StatusCode;
            context.Response.StatusCode = status;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
                if (!HopByHop.Contains(name)) context.Response.Headers[name] = values.ToArray();
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
        catch (HttpRequestException e)
        {
            Record(new ProxiedRequest(request.Method, request.Path + request.QueryString, 502, null, e.Message));
            context.Response.StatusCode = 502;
            await context.Response.WriteAsync(e.ToString());
            return;
        }
        var result = (await invoked).Result;
        Record(new ProxiedRequest(request.Method, request.Path + request.QueryString, status, result.Status, result.Exception?.Message));
    }

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
    };

    private void Record(ProxiedRequest request)
    {
        lock (_requests)
        {
            _requests.Add(request);
            foreach (var w in _requestWaiters.Where(w => w.Match(request)).ToList())
            {
                w.Done.TrySetResult();
                _requestWaiters.Remove(w);
            }
        }
    }

    /// <summary>Completes when a proxied request (answered and its invocation ended) matches.</summary>
    public Task WaitForRequestAsync(Func<ProxiedRequest, bool> match, TimeSpan timeout, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_requests)
        {
            if (_requests.Any(match)) return Task.CompletedTask;
            _requestWaiters.Add((match, done));
        }
        return done.Task.WithTimeout(timeout, what);
    }

    private void OnOutput(string? line)
    {
        if (line is null) return;
        lock (_outputWaiters)
        {
            _output.Enqueue(line);
            foreach (var w in _outputWaiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                w.Done.TrySetResult();
                _outputWaiters.Remove(w);
            }
        }
    }

    /// <summary>Completes when a line of the worker's output (stdout, stderr) contains <paramref name="text"/>.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_outputWaiters)
        {
            if (_output.Any(l => l.Contains(text, StringComparison.Ordinal))) return Task.CompletedTask;
            _outputWaiters.Add((text, done));
        }
        return done.Task.WithTimeout(timeout, $"the worker to print \"{text}\"");
    }

    /// <summary>The gRPC stream (FunctionRpcService): writes what the host sends, dispatches what the worker sends.</summary>
    internal async Task RunStreamAsync(IAsyncStreamReader<StreamingMessage> fromWorker, IServerStreamWriter<StreamingMessage> toWorker, CancellationToken ct)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in _toWorker.Reader.ReadAllAsync(ended.Token)) await toWorker.WriteAsync(message, ended.Token);
            }
            catch (OperationCanceledException) { }
        });
        try
        {
            while (await fromWorker.MoveNext(ct))
            {
                var m = fromWorker.Current;
                switch (m.ContentCase)
                {
                    case StreamingMessage.ContentOneofCase.StartStream: Complete("start", m); break;
                    case StreamingMessage.ContentOneofCase.WorkerInitResponse: Complete("init", m); break;
                    case StreamingMessage.ContentOneofCase.FunctionMetadataResponse: Complete("metadata", m); break;
                    case StreamingMessage.ContentOneofCase.FunctionLoadResponse: Complete("load:" + m.FunctionLoadResponse.FunctionId, m); break;
                    case StreamingMessage.ContentOneofCase.InvocationResponse: Complete("invoke:" + m.InvocationResponse.InvocationId, m); break;
                    case StreamingMessage.ContentOneofCase.RpcLog: _logs.Enqueue(m.RpcLog); break;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        finally
        {
            await ended.CancelAsync();
            await writer;
        }
    }

    private Task<StreamingMessage> Awaited(string key) =>
        _awaited.GetOrAdd(key, _ => new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private void Complete(string key, StreamingMessage m) =>
        _awaited.GetOrAdd(key, _ => new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(m);

    private ValueTask SendAsync(StreamingMessage m) => _toWorker.Writer.WriteAsync(m);

    private static void Check(StatusResult? result, string what)
    {
        if (result?.Status != StatusResult.Types.Status.Success)
            throw new InvalidOperationException($"{what}: {result?.Status} {result?.Result} {result?.Exception?.Message}");
    }

    /// <summary>WorkerTerminate, as the host sends it on shutdown; the worker is killed if it has not exited after the grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (_worker is not null)
        {
            if (!_worker.HasExited)
            {
                await SendAsync(new StreamingMessage { RequestId = Guid.NewGuid().ToString(), WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) } });
                try { await _worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)); }
                catch (TimeoutException) { _worker.Kill(entireProcessTree: true); }
            }
            ExitCode = _worker.HasExited ? _worker.ExitCode : null;
            _worker.Dispose();
        }
        _toWorker.Writer.TryComplete();
        await _server.StopAsync();
        await _server.DisposeAsync();
        _workerHttp.Dispose();
    }

    /// <summary>The worker's exit code after <see cref="DisposeAsync"/> (null: it had to be killed).</summary>
    public int? ExitCode { get; private set; }

    /// <summary>As the host's own RetryProxyHandler: a request the worker's HTTP port refuses (not listening yet) is
    /// tried again, up to 10 times, after 50 ms, doubling up to 250 ms.</summary>
    private sealed class RetryProxyHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var delay = 50;
            for (var attempt = 1; ; attempt++)
            {
                try { return await base.SendAsync(request, cancellationToken); }
                catch (HttpRequestException) when (attempt < 10)
                {
                    await Task.Delay(delay, cancellationToken);
                    delay = Math.Min(delay * 2, 250);
                }
            }
        }
    }

    private sealed record HttpRoute(LoadedFunction Function, string[] Methods, TemplateMatcher Matcher);
}

/// <summary>A function as the worker described it and the stand-in loaded it.</summary>
public sealed record LoadedFunction(string Name, string Id, string TriggerType, string TriggerName, IReadOnlyList<JsonObject> Bindings);

/// <summary>One request the stand-in proxied: the answer's status and how the invocation ended (null: no invocation).</summary>
public sealed record ProxiedRequest(string Method, string PathAndQuery, int Status, StatusResult.Types.Status? Invocation, string? Error);

/// <summary>The end of one invocation and the worker's log lines for it.</summary>
public sealed record InvocationOutcome(StatusResult Result, IReadOnlyList<string> Logs)
{
    public bool Succeeded => Result.Status == StatusResult.Types.Status.Success;
}

/// <summary>The host's side of FunctionRpc.EventStream.</summary>
internal sealed class FunctionRpcService(FunctionsHostStandIn host) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        host.RunStreamAsync(requestStream, responseStream, context.CancellationToken);
}
