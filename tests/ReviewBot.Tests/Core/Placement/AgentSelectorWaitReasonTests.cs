using ReviewBot.Core.Placement;
using static ReviewBot.Tests.Core.Placement.Placement;

namespace ReviewBot.Tests.Core.Placement;

/// <summary>When no agent can take a task, the task says why, with counts (DESIGN §3).</summary>
public sealed class AgentSelectorWaitReasonTests
{
    [Fact]
    public void NoAgents_SaysNoAgentIsOnline()
        => Assert.Equal("no agent is online", WaitReasonFor(Request("gpu")));

    [Fact]
    public void OnlyOfflineAgents_SaysNoAgentIsOnline()
        => Assert.Equal("no agent is online", WaitReasonFor(Request(), Node("a", state: AgentState.Offline)));

    [Fact]
    public void NoOnlineAgentMatches_CountsTheOnlineAgentsAndQuotesTheFilter()
        => Assert.Equal("2 agents online, none matches 'gpu'",
            WaitReasonFor(Request("gpu"), Node("a", ["linux"]), Node("b")));

    [Fact]
    public void NoOnlineAgentMatches_MentionsMatchingAgentsThatAreOffline()
        => Assert.Equal("1 agent online, none matches 'gpu' (1 agent that matches is offline)",
            WaitReasonFor(Request("gpu"), Node("a", ["linux"]), Node("b", ["gpu"], state: AgentState.Offline)));

    [Fact]
    public void MatchingAgentsAllBusy_SaysHowManyMatch()
        => Assert.Equal("3 agents match 'gpu' but all are busy", WaitReasonFor(Request("gpu"),
            Node("a", ["gpu"], running: 1), Node("b", ["gpu"], running: 1), Node("c", ["gpu"], capacity: 2, running: 2), Node("d")));

    [Fact]
    public void OneMatchingAgentBusy_SaysItIsBusy()
        => Assert.Equal("1 agent matches 'gpu' but it is busy", WaitReasonFor(Request("gpu"), Node("a", ["gpu"], running: 1)));

    [Fact]
    public void MatchingAgentDraining_SaysSo()
        => Assert.Equal("1 agent matches 'gpu' but it is draining",
            WaitReasonFor(Request("gpu"), Node("a", ["gpu"], state: AgentState.Draining), Node("b", ["linux"])));

    [Fact]
    public void MatchingAgentPaused_SaysSo()
        => Assert.Equal("1 agent matches 'gpu' but it is paused", WaitReasonFor(Request("gpu"), Node("a", ["gpu"], state: AgentState.Paused)));

    [Fact]
    public void MatchingAgentsDrainingAndPaused_SaysBoth()
        => Assert.Equal("2 agents match 'gpu' but they are draining or paused", WaitReasonFor(Request("gpu"),
            Node("a", ["gpu"], state: AgentState.Draining), Node("b", ["gpu"], state: AgentState.Paused)));

    [Fact]
    public void AllMatchingAgentsTried_SaysTheyRefusedOrDidNotAccept()
        => Assert.Equal("all 2 matching agents were tried (refused or did not accept)",
            WaitReasonFor(Request("gpu", "a", "b"), Node("a", ["gpu"]), Node("b", ["gpu"])));

    [Fact]
    public void OnlyMatchingAgentTried_SaysItRefusedOrDidNotAccept()
        => Assert.Equal("the only matching agent was tried (refused or did not accept)",
            WaitReasonFor(Request("gpu", "a"), Node("a", ["gpu"])));

    [Fact]
    public void MatchingAgentsBusyOrTried_CountsEach()
        => Assert.Equal("3 agents match 'gpu' but 2 are busy and 1 was tried (refused or did not accept)", WaitReasonFor(
            Request("gpu", "c"), Node("a", ["gpu"], running: 1), Node("b", ["gpu"], running: 1), Node("c", ["gpu"])));

    [Fact]
    public void WithoutAFilter_OnlyExclusiveAgentsOnline_SaysNoneMatches()
        => Assert.Equal("only exclusive agents are online (2) and none matches: they take only tasks whose label filter matches them",
            WaitReasonFor(Request(), Node("a", ["gpu"], exclusive: true), Node("b", exclusive: true)));

    [Fact]
    public void WithoutAFilter_AllSuitableAgentsBusy_SaysSo()
        => Assert.Equal("2 agents can take a task without a label filter but all are busy",
            WaitReasonFor(Request(), Node("a", running: 1), Node("b", ["linux"], running: 1), Node("x", exclusive: true)));

    [Fact]
    public void WithoutAFilter_AllSuitableAgentsTried_SaysSo()
        => Assert.Equal("all 2 suitable agents were tried (refused or did not accept)",
            WaitReasonFor(Request("", "a", "b"), Node("a"), Node("b", ["linux"])));

    [Fact]
    public void WithoutAFilter_SuitableAgentDraining_SaysSo()
        => Assert.Equal("1 agent can take a task without a label filter but it is draining",
            WaitReasonFor(Request(), Node("a", state: AgentState.Draining), Node("x", exclusive: true)));
}
