using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Tests.Infrastructure;

/// <summary>A real SignalR connection to the app's agent hub that speaks the contract by hand, so a test can
/// play an agent step by step (accept or not, report under any lease).</summary>
public sealed class ContractClient : IAsyncDisposable
{
    private readonly Channel<TaskAssignment> _assignments = Channel.CreateUnbounded<TaskAssignment>();

    private ContractClient(HubConnection hub, string nodeId)
    {
        Hub = hub;
        NodeId = nodeId;
    }

    public HubConnection Hub { get; }
    public string NodeId { get; }
    public Channel<TaskCancellation> Cancellations { get; } = Channel.CreateUnbounded<TaskCancellation>();

    public static HubConnection Build(TestApp app, string token) => new HubConnectionBuilder()
        .WithUrl(app.Url.TrimEnd('/') + AgentProtocol.HubPath, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
        .Build();

    /// <summary>Connects and registers.</summary>
    public static Task<ContractClient> ConnectAsync(TestApp app, string nodeId, params string[] labels) =>
        ConnectWithAsync(app, TestApp.AgentToken, nodeId, labels);

    /// <summary>Connects with <paramref name="token"/> (a shared token or a per-agent credential) and registers.</summary>
    public static async Task<ContractClient> ConnectWithAsync(TestApp app, string token, string nodeId, params string[] labels)
    {
        var client = await OpenAsync(app, token, nodeId);
        var result = await client.RegisterAsync(Registration(nodeId, labels));
        Assert.True(result.Accepted, result.Reason);
        return client;
    }

    /// <summary>Connects with <paramref name="token"/> without registering; assignments sent to it are recorded.</summary>
    public static async Task<ContractClient> OpenAsync(TestApp app, string token, string nodeId)
    {
        var client = new ContractClient(Build(app, token), nodeId);
        client.Hub.On<TaskAssignment>(nameof(IAgentClient.AssignTask), a => client._assignments.Writer.TryWrite(a));
        client.Hub.On<TaskCancellation>(nameof(IAgentClient.CancelTask), c => client.Cancellations.Writer.TryWrite(c));
        await client.Hub.StartAsync().WaitAsync(Timeouts.Short);
        return client;
    }

    public static AgentRegistration Registration(string nodeId, params string[] labels) =>
        new(nodeId, nodeId, labels, 1, false, "test", "linux", "x64", AgentProtocol.Version, []);

    public Task<RegistrationResult> RegisterAsync(AgentRegistration registration) =>
        Hub.InvokeAsync<RegistrationResult>(nameof(IAgentHub.Register), registration).WaitAsync(Timeouts.Short);

    /// <summary>Assignments received so far, without waiting.</summary>
    public IReadOnlyList<TaskAssignment> ReceivedAssignments()
    {
        var list = new List<TaskAssignment>();
        while (_assignments.Reader.TryRead(out var a)) list.Add(a);
        return list;
    }

    public Task<TaskAssignment> NextAssignmentAsync() => _assignments.Reader.ReadAsync().AsTask().WithTimeout(Timeouts.Short, $"an assignment for {NodeId}");

    public Task<TaskAck> AcceptAsync(TaskAssignment a, bool accepted = true, string? reason = null) =>
        Hub.InvokeAsync<TaskAck>(nameof(IAgentHub.AcceptTask), new TaskAcceptance(NodeId, a.TaskId, a.LeaseToken, accepted, reason)).WaitAsync(Timeouts.Short);

    public Task<TaskAck> CompleteAsync(TaskResult result) =>
        Hub.InvokeAsync<TaskAck>(nameof(IAgentHub.CompleteTask), result).WaitAsync(Timeouts.Short);

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}
