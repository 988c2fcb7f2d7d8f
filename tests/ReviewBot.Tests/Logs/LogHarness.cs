using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Dashboard;
using ReviewBot.Functions.Logs;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Logs;

/// <summary>A task held by a hand-driven agent (<see cref="ContractClient"/>), to send exact chunks.</summary>
public sealed class HeldTask(TestApp app, ContractClient agent, TaskAssignment assignment)
{
    public TestApp App { get; } = app;
    public ContractClient Agent { get; } = agent;
    public TaskAssignment Assignment { get; } = assignment;
    public string Id => Assignment.TaskId;

    public Task SendAsync(long sequence, string text) => Agent.Hub.InvokeAsync(nameof(IAgentHub.AppendLog),
        new LogChunk(Agent.NodeId, Id, Assignment.LeaseToken, sequence, text)).WaitAsync(Timeouts.Short);

    public Task<TaskAck> CompleteAsync() => Agent.CompleteAsync(new TaskResult(Agent.NodeId, Id, Assignment.LeaseToken, TaskOutcome.Succeeded, 0,
        [], [], [], null, TimeSpan.FromSeconds(1)));

    public Task<string> LogAsync() => App.Http.GetStringAsync($"/api/tasks/{Id}/log");

    /// <summary>Completes the task and waits until its log is archived.</summary>
    public async Task CompleteAndArchiveAsync()
    {
        var archived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var archive = App.Services.GetRequiredService<LogArchive>();
        void OnArchived(string id) { if (id == Id) archived.TrySetResult(); }
        archive.Archived += OnArchived;
        try
        {
            Assert.True((await CompleteAsync()).Accepted);
            await archived.Task.WithTimeout(Timeouts.Short, $"the log of {Id} to be archived");
        }
        finally { archive.Archived -= OnArchived; }
    }
}

/// <summary>A browser's connection to the dashboard hub that records every LogAppended.</summary>
public sealed class DashboardWatcher : IAsyncDisposable
{
    private DashboardWatcher(HubConnection hub) => Hub = hub;

    public HubConnection Hub { get; }
    public Channel<(string TaskId, long Sequence, string Text)> Pieces { get; } = Channel.CreateUnbounded<(string, long, string)>();
    public ConcurrentQueue<JsonElement> TaskChanges { get; } = new();

    public static async Task<DashboardWatcher> ConnectAsync(TestApp app)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(app.Url.TrimEnd('/') + DashboardHub.Path, o => o.AccessTokenProvider = () => Task.FromResult<string?>(TestApp.ReadKey))
            .Build();
        var watcher = new DashboardWatcher(hub);
        hub.On<string, long, string>(nameof(IDashboardClient.LogAppended), (id, seq, text) => watcher.Pieces.Writer.TryWrite((id, seq, text)));
        hub.On<JsonElement>(nameof(IDashboardClient.TaskChanged), t => watcher.TaskChanges.Enqueue(t));
        await hub.StartAsync().WaitAsync(Timeouts.Short);
        return watcher;
    }

    public Task<LogSnapshot> WatchAsync(string taskId) => Hub.InvokeAsync<LogSnapshot>(nameof(DashboardHub.WatchTask), taskId).WaitAsync(Timeouts.Short);

    public Task<(string TaskId, long Sequence, string Text)> NextAsync() =>
        Pieces.Reader.ReadAsync().AsTask().WithTimeout(Timeouts.Short, "a LogAppended message");

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}

/// <summary>An app on Azurite with one linter and a repository, plus the clients a test opens.</summary>
public abstract class LogTestBase(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    protected TestApp App { get; private set; } = null!;
    protected GitRepo Repo { get; private set; } = null!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
        // Contract clients do not heartbeat: give them a minute before they count as lost.
        var settings = new Dictionary<string, string?> { ["ReviewBot:Agents:MissedHeartbeats"] = "60" };
        foreach (var (k, v) in Settings) settings[k] = v;
        App = await TestApp.StartAsync(azurite, Configs.Single("lint", "\".sh\"", "[\"true\"]", nodeLabels: "linux"), settings);
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        await App.DisposeAsync();
        Repo.Dispose();
    }

    protected T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    protected async Task<string> DeliverAsync(int number = 2)
    {
        var response = await App.PostDeliveryAsync("pull_request", Deliveries.PullRequest(Repo, number: number));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks")[0].GetString()!;
    }

    /// <summary>A new task, assigned to and accepted by a contract client named <paramref name="node"/>.</summary>
    protected async Task<HeldTask> HoldTaskAsync(string node = "node-a", int number = 2)
    {
        var agent = Own(await ContractClient.ConnectAsync(App, node, "linux"));
        await DeliverAsync(number);
        var assignment = await agent.NextAssignmentAsync();
        Assert.True((await agent.AcceptAsync(assignment)).Accepted);
        return new HeldTask(App, agent, assignment);
    }

    protected async Task<DashboardWatcher> WatcherAsync() => Own(await DashboardWatcher.ConnectAsync(App));
}
