using ReviewBot.Core.Labels;
using ReviewBot.Core.Placement;
using static ReviewBot.Tests.Core.Placement.Placement;

namespace ReviewBot.Tests.Core.Placement;

public class QueueDemandTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static QueuedDemand Queued(string filter, int minutesAgo = 0) => new(LabelFilter.Parse(filter), T0.AddMinutes(-minutesAgo));

    [Fact]
    public void GroupsByFilter_CountingOnlyOnlineMatchingAgentsAndTheirFreeSlots()
    {
        var groups = QueueDemand.Compute(
            [Queued("linux", 5), Queued("linux", 1), Queued("linux"), Queued("gpu")],
            [
                Node("a", ["linux"], capacity: 2, running: 1),
                Node("b", ["linux", "gpu"], capacity: 1, running: 1),
                Node("c", ["linux"], capacity: 4, state: AgentState.Draining),
                Node("d", ["gpu"], capacity: 3, state: AgentState.Paused),
            ]);

        var linux = groups.Single(g => g.Filter == "linux");
        Assert.Equal((3, 2, 1, 2), (linux.Queued, linux.OnlineAgents, linux.FreeCapacity, linux.NeedNewAgents));
        Assert.Equal(T0.AddMinutes(-5), linux.OldestQueuedAt);
        var gpu = groups.Single(g => g.Filter == "gpu");
        Assert.Equal((1, 1, 0, 1), (gpu.Queued, gpu.OnlineAgents, gpu.FreeCapacity, gpu.NeedNewAgents));
        Assert.Equal("linux", groups[0].Filter); // most in need first
    }

    [Fact]
    public void TasksWithoutAFilter_AreServedByNonExclusiveAgentsOnly()
    {
        var group = Assert.Single(QueueDemand.Compute([Queued(""), Queued("")], [Node("x", ["gpu"], capacity: 5, exclusive: true), Node("y", capacity: 1)]));

        Assert.Equal(("", 1, 1, 1), (group.Filter, group.OnlineAgents, group.FreeCapacity, group.NeedNewAgents));
    }

    [Fact]
    public void FreeCapacityBeyondTheQueue_NeedsNoNewAgent()
    {
        var group = Assert.Single(QueueDemand.Compute([Queued("linux && !arm")], [Node("a", ["linux"], capacity: 8)]));

        Assert.Equal(0, group.NeedNewAgents);
        Assert.True(QueueDemand.Fits(LabelFilter.Parse("linux && !arm"), ["linux", "x64"], exclusive: false));
        Assert.False(QueueDemand.Fits(LabelFilter.Parse(""), ["linux"], exclusive: true));
    }
}
