using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Tests.Tasks.Fakes;

/// <summary>
/// The task lifecycle and the placement loop on in-memory parts, with one fake clock: the task table
/// (<see cref="MemoryTaskStore"/>), the agent pool (the registry itself: it is in memory, and its suspicion, capacity
/// and heartbeat rules are what placement relies on), a channel that records what agents are sent, and GitHub's clone
/// credentials. Tests drive the loop one pass at a time (<see cref="PassAsync"/>) instead of running it.
/// </summary>
internal sealed class TaskHarness
{
    public static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    public TaskHarness(RoutingOptions? routing = null, AgentsOptions? agents = null)
    {
        Routing = routing ?? new RoutingOptions();
        Agents = new AgentRegistry(Options.Create(agents ?? new AgentsOptions()), Time);
        Lifecycle = new TaskLifecycle(Store, Agents, Channel, Queue, Options.Create(Routing), Time, NullLogger<TaskLifecycle>.Instance);
        Dispatcher = new TaskDispatcher(Lifecycle, Queue, Agents, Channel, [Resolver], Store, Options.Create(Routing), Time, NullLogger<TaskDispatcher>.Instance);
        Lifecycle.Transitioned += (from, task) => Transitions.Add((from, task.State));
    }

    public FakeTimeProvider Time { get; } = new(Start);
    public RoutingOptions Routing { get; }
    public MemoryTaskStore Store { get; } = new();
    public RecordingChannel Channel { get; } = new();
    public FakeSourceResolver Resolver { get; } = new();
    public TaskQueue Queue { get; } = new();
    public AgentRegistry Agents { get; }
    public TaskLifecycle Lifecycle { get; }
    public TaskDispatcher Dispatcher { get; }

    /// <summary>Every transition the lifecycle raised: (state before, state after).</summary>
    public List<(TaskState? From, TaskState To)> Transitions { get; } = [];

    public Task PassAsync() => Dispatcher.PassAsync(CancellationToken.None);

    /// <summary>Registers an agent on connection "conn-{nodeId}".</summary>
    public string Connect(string nodeId, int capacity = 1, params string[] labels)
    {
        Agents.Register(new AgentRegistration(nodeId, $"agent {nodeId}", labels, capacity, false, "1.0", "linux", "x64", AgentProtocol.Version, []), $"conn-{nodeId}");
        return $"conn-{nodeId}";
    }

    /// <summary>A linter's task on pull request 7 of octo/widgets, as ingest makes it (not stored).</summary>
    public ReviewTask NewTask(string id = "t1", string nodeLabels = "", bool untrusted = false, TaskState state = TaskState.Queued,
        int pullRequest = 7, string headSha = "abc1234def", DateTimeOffset? updatedAt = null, string host = CodeHostNames.GitHub) => new()
    {
        Id = id,
        Repository = "octo/widgets",
        CloneUrl = "https://github.com/octo/widgets.git",
        PullRequest = pullRequest,
        HeadSha = headSha,
        SourceUpdatedAt = updatedAt,
        Host = host,
        Linter = new LinterSpec("shellcheck", ["shellcheck"], [], new Dictionary<string, string>(), null, "gcc", ["shell"], TimeSpan.FromMinutes(5)),
        NodeLabels = nodeLabels,
        Untrusted = untrusted,
        State = state,
        Trigger = "test",
        CreatedAt = Time.GetUtcNow(),
    };

    /// <summary>Creates <see cref="NewTask"/> through the lifecycle; the task as stored.</summary>
    public async Task<ReviewTask> CreateAsync(string id = "t1", string nodeLabels = "", bool untrusted = false, TaskState state = TaskState.Queued,
        int pullRequest = 7, string headSha = "abc1234def", DateTimeOffset? updatedAt = null, string host = CodeHostNames.GitHub)
    {
        Assert.True(await Lifecycle.CreateAsync(NewTask(id, nodeLabels, untrusted, state, pullRequest, headSha, updatedAt, host), CancellationToken.None));
        return Store[id]!;
    }

    public ReviewTask Task(string id = "t1") => Store[id]!;

    /// <summary>The agent accepts its assignment of <paramref name="id"/>.</summary>
    public Task<TaskAck> AcceptAsync(string id = "t1")
    {
        var t = Task(id);
        return Lifecycle.AcceptAsync(new TaskAcceptance(t.NodeId!, id, t.LeaseToken!, true, null), CancellationToken.None);
    }
}
