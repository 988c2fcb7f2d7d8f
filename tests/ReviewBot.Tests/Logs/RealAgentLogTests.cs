using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Logs;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Logs;

/// <summary>A real agent process streams 10,000 lines while its connection is cut in the middle.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RealAgentLogTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>Prints "line 00001" … "line 10000", pausing 150 ms every 500 lines (about 3 s in all), and exits 0.</summary>
    private const string Config = """
        linters:
          lines:
            languages: [".sh"]
            command: ["sh", "-c", "i=1; while [ $i -le 10000 ]; do printf 'line %05d\\n' $i; if [ $((i % 500)) -eq 0 ]; then sleep 0.15; fi; i=$((i+1)); done", "lines"]
            args: []
            format: gcc
            nodeLabels: "linux"
            timeout: 00:01:00
        """;

    private readonly AgentConnections _connections = new();
    private TestApp _app = null!;
    private GitRepo _repo = null!;
    private AgentProcess? _agent;

    public async Task InitializeAsync()
    {
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
        _app = await TestApp.StartAsync(azurite, Config, new Dictionary<string, string?> { ["ReviewBot:Agents:DisconnectGrace"] = "00:00:30" },
            configure: b =>
            {
                b.Services.AddSingleton(_connections);
                b.Services.AddSignalR().AddHubOptions<AgentHub>(o => o.AddFilter(_connections));
            });
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        await _app.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task TenThousandLinesWithAReconnectInTheMiddle_AreStoredOnceEachInOrder_AndRelayedLive()
    {
        var stored = 0;
        var midway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _app.Services.GetRequiredService<LiveLogs>().Appended += (_, text) =>
        {
            if (Interlocked.Add(ref stored, text.Count(c => c == '\n')) >= 3000) midway.TrySetResult();
        };
        var archived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _app.Services.GetRequiredService<LogArchive>().Archived += _ => archived.TrySetResult();
        _agent = AgentProcess.Start(_app.Url, "streamer", ["linux"]);
        await _app.WaitForOnlineAsync(_agent, Timeouts.Long);
        var response = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks")[0].GetString()!;
        await using var watcher = await DashboardWatcher.ConnectAsync(_app);
        var snapshot = await watcher.WatchAsync(id);

        await midway.Task.WithTimeout(Timeouts.Long, "3,000 lines to be stored");
        var node = _app.Agents.All.Single(n => n.Name == "streamer");
        var before = node.ConnectionId!;
        _connections.Abort(before);
        await _app.WaitForAgentsAsync(r => r.Get(node.NodeId)?.ConnectionId is { } c && c != before, Timeouts.Long, "the agent to reconnect and register again");
        var done = await _app.WaitForTaskAsync(id, t => t.State.IsTerminal(), Timeouts.Long, "the task to end");
        await archived.Task.WithTimeout(Timeouts.Short, "the log to be archived");

        Assert.Equal(1, done.Attempt); // the same agent kept the task through the reconnect
        var log = await _app.Http.GetStringAsync($"/api/tasks/{id}/log");
        var lines = log.Split('\n').Where(l => l.StartsWith("line ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(1, 10_000).Select(i => $"line {i:00000}"), lines);
        Assert.True(_agent.Output.Contains("reconnect", StringComparison.OrdinalIgnoreCase) || _connections.Aborted == 1);

        var relayed = new StringBuilder(snapshot.Text);
        var next = snapshot.NextSequence;
        while (watcher.Pieces.Reader.TryRead(out var piece))
        {
            if (piece.Sequence < snapshot.NextSequence) continue;
            Assert.Equal(next++, piece.Sequence);
            relayed.Append(piece.Text);
        }
        Assert.Equal(log, relayed.ToString());
    }

    /// <summary>Remembers the agent hub's connections so a test can cut one from the server side.</summary>
    private sealed class AgentConnections : IHubFilter
    {
        private readonly ConcurrentDictionary<string, HubCallerContext> _contexts = new(StringComparer.Ordinal);
        private int _aborted;

        public int Aborted => _aborted;

        public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
        {
            _contexts[context.Context.ConnectionId] = context.Context;
            return next(context);
        }

        public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
        {
            _contexts.TryRemove(context.Context.ConnectionId, out _);
            return next(context, exception);
        }

        public void Abort(string connectionId)
        {
            Assert.True(_contexts.TryGetValue(connectionId, out var context), $"connection {connectionId} is not open");
            Interlocked.Increment(ref _aborted);
            context.Abort();
        }
    }
}
