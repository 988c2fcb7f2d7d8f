using System.Diagnostics;

namespace ReviewBot.Bench.Harness;

/// <summary>
/// Many <see cref="FakeAgent"/>s in this process. Connects in parallel with bounded concurrency (each connection is one
/// socket and one file descriptor here and one in the app), then heartbeats with each of them until disposed.
/// </summary>
public sealed class AgentSwarm(AppProcess app, SwarmCounters counters, AssignmentObserver? observer = null, bool complete = true) : IAsyncDisposable
{
    private readonly List<FakeAgent> _agents = [];
    private readonly List<Task> _heartbeats = [];
    private readonly CancellationTokenSource _stop = new();

    public int Count => _agents.Count;
    public SwarmCounters Counters => counters;

    /// <summary>Adds <paramref name="count"/> agents (labels, capacity as given), <paramref name="parallel"/> connecting at a time.</summary>
    public async Task<TimeSpan> AddAsync(int count, IReadOnlyList<string> labels, int capacity, int parallel, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var first = _agents.Count;
        var added = new FakeAgent[count];
        var failures = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (i, token) =>
        {
            var agent = new FakeAgent(app.HubUrl, AppProcess.AgentToken, $"bench-{first + i:D5}", labels, capacity, counters, observer, complete);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await agent.ConnectAsync(token);
                    added[i] = agent;
                    return;
                }
                catch (Exception) when (attempt < 3 && !token.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failures);
                    await agent.DisposeAsync();
                    agent = new FakeAgent(app.HubUrl, AppProcess.AgentToken, $"bench-{first + i:D5}", labels, capacity, counters, observer, complete);
                }
            }
        });
        _agents.AddRange(added);
        foreach (var agent in added) _heartbeats.Add(agent.HeartbeatAsync(_stop.Token));
        if (failures > 0) BenchOutput.Out.WriteLine($"  ({failures} connection attempt(s) failed and were retried)");
        return Stopwatch.GetElapsedTime(start);
    }

    public TimeSpan HeartbeatInterval => _agents.Count > 0 ? _agents[0].HeartbeatInterval : TimeSpan.Zero;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_heartbeats);
        await Parallel.ForEachAsync(_agents, new ParallelOptions { MaxDegreeOfParallelism = 200 }, async (a, _) => await a.DisposeAsync());
        _stop.Dispose();
    }
}
