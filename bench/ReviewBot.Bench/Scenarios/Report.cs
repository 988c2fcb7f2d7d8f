using ReviewBot.Bench.Harness;

namespace ReviewBot.Bench.Scenarios;

public static class Report
{
    public static void Header(string scenario, string what)
    {
        BenchOutput.Out.WriteLine($"== {scenario}: {what}");
        BenchOutput.Out.WriteLine($"   {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} CPU(s), .NET {Environment.Version}, build {Paths.Configuration}, open-files limit {ProcStatus.OpenFilesLimit()}");
    }

    /// <summary>Polls the app's metrics (or, with its telemetry off, <c>GET /api/agents</c>) until
    /// <paramref name="count"/> agents are connected.</summary>
    public static async Task WaitForAgentsAsync(AppProcess app, int count, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var connected = app.TelemetryOn ? (await app.ScrapeAsync(ct))["reviewbot_agents_connected"] : await OnlineAgentsAsync(app, ct);
            if (connected >= count) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"only {connected} of {count} agents connected after {timeout.TotalSeconds:0} s");
            await Task.Delay(500, ct); // a scrape is the only view of the app's state from this process
        }
    }

    private static async Task<double> OnlineAgentsAsync(AppProcess app, CancellationToken ct)
    {
        using var agents = System.Text.Json.JsonDocument.Parse(await app.Http.GetStringAsync("/api/agents", ct));
        return agents.RootElement.EnumerateArray().Count(a => a.GetProperty("state").GetString() is "online");
    }
}
