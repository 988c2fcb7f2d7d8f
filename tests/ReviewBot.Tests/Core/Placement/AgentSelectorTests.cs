using ReviewBot.Core.Placement;
using static ReviewBot.Tests.Core.Placement.Placement;

namespace ReviewBot.Tests.Core.Placement;

/// <summary>Who may take a task and in which order (DESIGN §3 "Choosing a node").</summary>
public sealed class AgentSelectorTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rank_OnlineAgentWithAFreeSlot_IsACandidate()
        => Assert.Equal(["a"], RankedIds(Request(), Node("a")));

    [Theory]
    [InlineData(AgentState.Draining)]
    [InlineData(AgentState.Paused)]
    [InlineData(AgentState.Offline)]
    public void Rank_AgentThatIsNotOnline_IsNotACandidate(AgentState state)
        => Assert.Equal(["b"], RankedIds(Request(), Node("a", state: state), Node("b")));

    [Fact]
    public void Rank_AgentAtCapacity_IsNotACandidate()
        => Assert.Equal(["b"], RankedIds(Request(), Node("a", capacity: 2, running: 2), Node("b")));

    [Fact]
    public void Rank_AgentWithZeroCapacity_IsNotACandidate()
        => Assert.Equal(["b"], RankedIds(Request(), Node("a", capacity: 0), Node("b")));

    [Fact]
    public void Rank_ExcludedAgent_IsNotACandidate()
        => Assert.Equal(["b"], RankedIds(Request("", "a"), Node("a"), Node("b")));

    [Fact]
    public void Rank_WithAFilter_KeepsOnlyMatchingAgents()
        => Assert.Equal(["gpu1"], RankedIds(Request("gpu"), Node("cpu1", ["linux"]), Node("gpu1", ["linux", "gpu"])));

    [Fact]
    public void Rank_WithAFilter_TakesAnExclusiveAgentThatMatches()
        => Assert.Equal(["gpu1"], RankedIds(Request("gpu"), Node("gpu1", ["gpu"], exclusive: true)));

    [Fact]
    public void Rank_WithAFilter_SkipsUnlabelledAgents()
        => Assert.Empty(RankedIds(Request("linux"), Node("plain")));

    [Fact]
    public void Rank_WithoutAFilter_TakesOnlyUnlabelledAgentsWhenThereAreAny()
        => Assert.Equal(["plain"], RankedIds(Request(), Node("labelled", ["linux"]), Node("plain")));

    [Fact]
    public void Rank_WithoutAFilter_FallsBackToLabelledAgentsWhenNoUnlabelledOneIsAvailable()
        => Assert.Equal(["labelled"], RankedIds(Request(), Node("labelled", ["linux"]), Node("plain", running: 1)));

    [Fact]
    public void Rank_WithoutAFilter_NeverTakesAnExclusiveAgent()
        => Assert.Equal(["shared"], RankedIds(Request(), Node("special", ["gpu"], exclusive: true), Node("shared", ["linux"])));

    [Fact]
    public void Rank_WithoutAFilter_NeverTakesAnUnlabelledExclusiveAgent()
        => Assert.Equal(["shared"], RankedIds(Request(), Node("special", exclusive: true), Node("shared", ["linux"])));

    [Fact]
    public void Rank_BestFitFirst_FewestLabelsBeyondThoseTheFilterNames()
        => Assert.Equal(["lean", "rich"], RankedIds(Request("linux"), Node("rich", ["linux", "gpu", "docker"]), Node("lean", ["linux"])));

    [Fact]
    public void Rank_BestFit_CountsValuesOfANamedKeyAsNeeded()
        => Assert.Equal(["multi-os", "with-arch"], RankedIds(
            Request("os: containsAny {linux}"),
            Node("with-arch", ["os:linux", "arch:amd64"]),
            Node("multi-os", ["os:linux", "OS:darwin"])));

    [Fact]
    public void Rank_BestFit_IgnoresCaseOfAgentLabels()
        => Assert.Equal(["upper", "extra"], RankedIds(Request("linux"), Node("extra", ["linux", "go"]), Node("upper", ["LINUX"])));

    [Fact]
    public void Rank_WithoutAFilter_BestFitIsFewestLabels()
        => Assert.Equal(["one", "two"], RankedIds(Request(), Node("two", ["linux", "go"]), Node("one", ["linux"])));

    [Fact]
    public void Rank_EqualFit_LowestLoadFirst()
        => Assert.Equal(["b", "a"], RankedIds(Request(), Node("a", capacity: 2, running: 1), Node("b", capacity: 4, running: 1)));

    [Fact]
    public void Rank_Load_IsRunningOverCapacityNotRunningAlone()
        => Assert.Equal(["big", "small"], RankedIds(Request(), Node("small", capacity: 2, running: 1), Node("big", capacity: 8, running: 2)));

    [Fact]
    public void Rank_EqualFitAndLoad_WarmCloneFirst()
        => Assert.Equal(["warm", "cold"], RankedIds(Request(), Node("cold", recent: ["octo/other"]), Node("warm", recent: [Repository])));

    [Fact]
    public void Rank_WarmClone_IgnoresCaseOfTheRepository()
        => Assert.Equal(["warm", "cold"], RankedIds(Request(), Node("cold"), Node("warm", recent: ["OCTO/Widgets"])));

    [Fact]
    public void Rank_EqualOtherwise_NeverAssignedBeforeAssigned()
        => Assert.Equal(["fresh", "used"], RankedIds(Request(), Node("used", lastAssignedAt: Noon), Node("fresh")));

    [Fact]
    public void Rank_EqualOtherwise_LeastRecentlyAssignedFirst()
        => Assert.Equal(["earlier", "later"], RankedIds(Request(),
            Node("later", lastAssignedAt: Noon), Node("earlier", lastAssignedAt: Noon.AddMinutes(-5))));

    [Fact]
    public void Rank_AllElseEqual_OrdersByNodeId()
        => Assert.Equal(["n1", "n2", "n3"], RankedIds(Request(), Node("n3"), Node("n1"), Node("n2")));

    [Fact]
    public void Rank_FitOutranksLoad()
        => Assert.Equal(["lean", "rich"], RankedIds(Request("linux"),
            Node("rich", ["linux", "gpu"], capacity: 4), Node("lean", ["linux"], capacity: 4, running: 3)));

    [Fact]
    public void Rank_LoadOutranksWarmClone()
        => Assert.Equal(["idle", "warm"], RankedIds(Request(),
            Node("warm", capacity: 2, running: 1, recent: [Repository]), Node("idle", capacity: 2)));

    [Fact]
    public void Rank_WarmCloneOutranksRecency()
        => Assert.Equal(["warm", "fresh"], RankedIds(Request(),
            Node("fresh"), Node("warm", recent: [Repository], lastAssignedAt: Noon)));

    [Fact]
    public void Rank_RecencyOutranksNodeId()
        => Assert.Equal(["z", "a"], RankedIds(Request(), Node("a", lastAssignedAt: Noon), Node("z", lastAssignedAt: Noon.AddHours(-1))));

    [Fact]
    public void Rank_SameAgentsInAnyOrder_GiveTheSameRanking()
    {
        AgentCandidate[] agents =
        [
            Node("a", ["linux"], capacity: 2, running: 1),
            Node("b", ["linux", "go"]),
            Node("c", ["linux"], recent: [Repository]),
            Node("d", ["linux"], lastAssignedAt: Noon),
            Node("e", ["linux"]),
        ];
        var forward = RankedIds(Request("linux"), agents);
        var backward = RankedIds(Request("linux"), [.. agents.Reverse()]);
        Assert.Equal(["c", "e", "d", "a", "b"], forward);
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Rank_WithCandidates_GivesNoWaitReason()
        => Assert.Null(AgentSelector.Rank(Request(), [Node("a")]).WaitReason);
}
