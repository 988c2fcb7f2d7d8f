using System.Diagnostics;
using System.Globalization;
using ReviewBot.Testing;

namespace ReviewBot.Bench.Harness;

/// <summary>
/// The app under test as a separate process: `dotnet ReviewBot.Functions.dll --urls http://127.0.0.1:PORT`, configured
/// through environment variables only (as in production), logging at Warning into a file. Killed on dispose.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    public const string WebhookSecret = "bench-webhook-secret";
    public const string AgentToken = "bench-agent-token";

    /// <summary>The admin API key every bench app has (/metrics, /api/tasks and the dashboard hub need a key);
    /// <see cref="Http"/> sends it.</summary>
    public const string ApiKey = "bench-admin-key-0123456789";

    /// <summary>One linter for every repository, on agents labelled linux. The command never runs: bench agents only acknowledge.</summary>
    public const string ConfigYaml = """
        linters:
          lint:
            languages: [".sh"]
            command: ["true"]
            args: []
            format: gcc
            nodeLabels: "linux"
        """;

    private readonly Process _process;
    private readonly string _configPath;

    private AppProcess(Process process, string url, string logPath, string configPath)
    {
        _process = process;
        Url = url;
        LogPath = logPath;
        _configPath = configPath;
        Http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey);
    }

    public string Url { get; }
    public string HubUrl => Url + ReviewBot.Contracts.Agents.AgentProtocol.HubPath;
    public string LogPath { get; }
    public int Pid => _process.Id;
    public HttpClient Http { get; }

    /// <summary>Stopwatch timestamp just before the process was started.</summary>
    public long StartedAt { get; private init; }

    /// <summary>The app's storage prefix.</summary>
    public string Prefix { get; private init; } = "";

    /// <param name="prefix">The storage prefix; null for a new one (<see cref="BenchStorage.NewPrefix"/>). An app started
    /// again with the prefix of an earlier one finds that one's tables.</param>
    public static async Task<AppProcess> StartAsync(BenchStorage storage, IReadOnlyDictionary<string, string>? settings = null, string? prefix = null)
    {
        if (!File.Exists(Paths.AppDll))
            throw new InvalidOperationException($"{Paths.AppDll} is missing: build with `dotnet build -c {Paths.Configuration}` (dotnet run of the bench does).");
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port}";
        var id = Guid.NewGuid().ToString("N")[..8];
        var configPath = Path.Combine(Path.GetTempPath(), $"reviewbot-bench-{id}.yaml");
        var logPath = Path.Combine(Path.GetTempPath(), $"reviewbot-bench-{id}.log");
        await File.WriteAllTextAsync(configPath, ConfigYaml);

        var psi = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Paths.AppDll, "--urls", url },
            WorkingDirectory = Path.GetDirectoryName(Paths.AppDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ReviewBot__Storage__ConnectionString"] = storage.ConnectionString,
            ["ReviewBot__Storage__Prefix"] = prefix ?? storage.NewPrefix(),
            ["ReviewBot__Api__Keys__0"] = $"admin:{ApiKey}",
            ["ReviewBot__ConfigPath"] = configPath,
            ["ReviewBot__GitHub__WebhookSecret"] = WebhookSecret,
            ["ReviewBot__Agents__Tokens__0"] = AgentToken,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) env[k] = v;
        foreach (var (k, v) in env) psi.Environment[k] = v;

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.WriteLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.WriteLine(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, url, logPath, configPath)
        {
            StartedAt = started, Prefix = env["ReviewBot__Storage__Prefix"],
            TelemetryOn = !string.Equals(env.GetValueOrDefault("ReviewBot__Telemetry__Enabled"), "false", StringComparison.OrdinalIgnoreCase),
        };
        try
        {
            await FreePort.WaitOpenAsync(port, process, $"The app (log: {logPath})", TimeSpan.FromSeconds(60));
            (await app.Http.GetAsync("/api/health")).EnsureSuccessStatusCode();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    /// <summary>VmRSS of the app process, from /proc/PID/status.</summary>
    public long RssBytes() => ProcStatus.VmRssBytes(_process.Id);

    /// <summary>GET /metrics (the app's Prometheus exporter), parsed. Not served when the app runs with
    /// <c>ReviewBot__Telemetry__Enabled=false</c> (<see cref="TelemetryOn"/>).</summary>
    public async Task<Metrics> ScrapeAsync(CancellationToken ct = default)
    {
        var text = await Http.GetStringAsync("/metrics", ct);
        return Metrics.Parse(text);
    }

    /// <summary>False when the bench turned the app's telemetry off: no <c>/metrics</c> to scrape.</summary>
    public bool TelemetryOn { get; private init; } = true;

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException) { }
        _process.Dispose();
        try { File.Delete(_configPath); } catch (IOException) { }
    }
}

/// <summary>A Prometheus text scrape: name → value for unlabelled samples.</summary>
public sealed class Metrics(IReadOnlyDictionary<string, double> series)
{
    /// <summary>A metric's value summed over all its label sets (the exporter labels every sample with its scope).</summary>
    public double this[string name] => TryGet(name) ?? throw new KeyNotFoundException($"metric {name} not in the scrape");

    /// <summary>The sum of a metric over all its label sets (0 when it has none yet).</summary>
    public double Sum(string name) => TryGet(name) ?? 0;

    private double? TryGet(string name)
    {
        double? sum = null;
        foreach (var (key, value) in series)
            if (key == name || key.StartsWith(name + "{", StringComparison.Ordinal)) sum = (sum ?? 0) + value;
        return sum;
    }

    /// <summary>A metric's samples summed by the value of one label (e.g. storage transactions by <c>resource</c>).</summary>
    public IReadOnlyDictionary<string, double> By(string name, string label)
    {
        var sums = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var marker = label + "=\"";
        foreach (var (key, value) in series)
        {
            if (!key.StartsWith(name + "{", StringComparison.Ordinal)) continue;
            var at = key.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0) continue;
            at += marker.Length;
            var part = key[at..key.IndexOf('"', at)];
            sums[part] = sums.GetValueOrDefault(part) + value;
        }
        return sums;
    }

    /// <summary>Every sample line: <c>name{labels} value [timestamp]</c>; label values may hold spaces.</summary>
    public static Metrics Parse(string text)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var end = SeriesEnd(line);
            if (end <= 0 || end >= line.Length) continue;
            var rest = line[end..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (rest.Length > 0 && double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                values[line[..end]] = v;
        }
        return new Metrics(values);
    }

    /// <summary>Where the series name (with its labels) ends.</summary>
    private static int SeriesEnd(string line)
    {
        var brace = line.IndexOf('{');
        var space = line.IndexOf(' ');
        if (brace < 0 || space >= 0 && space < brace) return space;
        var quoted = false;
        for (var i = brace + 1; i < line.Length; i++)
        {
            if (line[i] == '\\') { i++; continue; }
            if (line[i] == '"') quoted = !quoted;
            else if (line[i] == '}' && !quoted) return i + 1;
        }
        return -1;
    }
}

public static class ProcStatus
{
    public static long VmRssBytes(int pid) => Field(pid, "VmRSS:");

    public static long VmHwmBytes(int pid) => Field(pid, "VmHWM:");

    /// <summary>A "kB" field of /proc/PID/status, in bytes.</summary>
    private static long Field(int pid, string name)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(name, StringComparison.Ordinal))
                return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"{name} not in /proc/{pid}/status");
    }

    /// <summary>Soft limit of open files of this process, from /proc/self/limits.</summary>
    public static long OpenFilesLimit()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
                return long.Parse(line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
        return -1;
    }
}
