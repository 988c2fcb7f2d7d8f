using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Placement;
using ReviewBot.Functions.Agents;
using static ReviewBot.Tests.Agents.AgentVersionsTests;

namespace ReviewBot.Tests.Agents;

/// <summary>The server's side of <c>--once</c>: a once-agent that accepted its task is never assigned another, through
/// reconnects, until a fresh process of it registers.</summary>
public class OnceAgentRegistryTests
{
    private readonly AgentRegistry _registry = new(Options.Create(new AgentsOptions()), new FakeTimeProvider());

    [Fact]
    public void OnceAgent_AfterAcceptingItsTask_IsNoCandidateAndCannotBeReserved_EvenAfterItsSlotIsFreed()
    {
        _registry.Register(Registration("eph", once: true) with { Capacity = 5 }, "c1");
        Assert.Equal(1, _registry.Candidates().Single().Capacity);
        Assert.True(_registry.TryReserve("eph", "t1", "lease1", "o/r"));

        _registry.TaskAccepted("eph");
        _registry.Release("eph", "t1", "lease1");

        Assert.Equal(AgentState.Draining, _registry.Candidates().Single().State);
        Assert.False(_registry.TryReserve("eph", "t2", "lease2", "o/r"));
    }

    [Fact]
    public void OnceAgent_StaysSpentThroughAReconnectWithItsTask_ButAFreshProcessMayTakeOneTaskAgain()
    {
        _registry.Register(Registration("eph", once: true), "c1");
        Assert.True(_registry.TryReserve("eph", "t1", "lease1", "o/r"));
        _registry.TaskAccepted("eph");

        _registry.Register(Registration("eph", once: true, running: [new RunningTask("t1", "lease1")]), "c2");
        _registry.Release("eph", "t1", "lease1");
        Assert.False(_registry.TryReserve("eph", "t2", "lease2", "o/r"));

        _registry.Register(Registration("eph", once: true, draining: true), "c3");
        Assert.False(_registry.TryReserve("eph", "t2", "lease2", "o/r"));

        _registry.Register(Registration("eph", once: true), "c4");
        Assert.True(_registry.TryReserve("eph", "t2", "lease2", "o/r"));
    }

    [Fact]
    public void OnceAgent_ThatRefusedATask_MayStillTakeOne()
    {
        _registry.Register(Registration("eph", once: true), "c1");
        Assert.True(_registry.TryReserve("eph", "t1", "lease1", "o/r"));
        _registry.Release("eph", "t1", "lease1"); // refused: never accepted

        Assert.True(_registry.TryReserve("eph", "t2", "lease2", "o/r"));
    }

    [Fact]
    public void AnAgentWithoutOnce_IsNotSpentByAcceptingTasks()
    {
        _registry.Register(Registration("steady"), "c1");
        Assert.True(_registry.TryReserve("steady", "t1", "lease1", "o/r"));
        _registry.TaskAccepted("steady");
        _registry.Release("steady", "t1", "lease1");

        Assert.True(_registry.TryReserve("steady", "t2", "lease2", "o/r"));
    }
}
