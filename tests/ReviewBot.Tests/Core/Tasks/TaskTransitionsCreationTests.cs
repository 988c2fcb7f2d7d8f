using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using static ReviewBot.Tests.Core.Tasks.Tasks;

namespace ReviewBot.Tests.Core.Tasks;

/// <summary>Approval, history notes and what an untrusted task's agent is given (pure; fixed clock). Reruns: TaskRerunTests.</summary>
public class TaskTransitionsCreationTests
{
    [Fact]
    public void Approve_QueuesAWaitingTask_StillUntrusted()
    {
        var waiting = TaskTransitions.Create(Queued() with { State = TaskState.Waiting, Untrusted = true, PlacementReason = "waits" }, 5, At);

        var t = TaskTransitions.Approve(waiting, "approved by octocat (/ok-to-test)", At.AddMinutes(2)).Task!;

        Assert.Equal((TaskState.Queued, At.AddMinutes(2), null, true), (t.State, t.QueuedAt, t.PlacementReason, t.Untrusted));
        Assert.False(TaskTransitions.Approve(t, "again", At).Applies);
    }

    [Fact]
    public void Note_AddsAHistoryEntryOnce_WithoutChangingTheState()
    {
        var ended = TaskTransitions.Complete(Running(), Result(), At.AddMinutes(1)).Task!;

        var noted = TaskTransitions.Note(ended, "retry 1 of 2 queued as task job-x", At.AddMinutes(2)).Task!;

        Assert.Equal(ended.State, noted.State);
        Assert.Equal(new TaskEvent(At.AddMinutes(2), TaskState.Failed, "retry 1 of 2 queued as task job-x"), noted.History[^1]);
        Assert.False(TaskTransitions.Note(noted, "retry 1 of 2 queued as task job-x", At).Applies);
    }

    [Fact]
    public void AnUntrustedTasksAssignment_CarriesNoTokenAndNoSecrets()
    {
        var job = new JobSpec("deploy", [], new Dictionary<string, string> { ["A"] = "1" }, new Dictionary<string, string> { ["TOKEN"] = "s3cr3t" }, TimeSpan.FromMinutes(1));
        var trusted = Queued() with { Job = job };

        var given = UntrustedWork.Assignment(trusted, "lease-1", "ghs_token", null, TimeSpan.FromSeconds(5));
        var stripped = UntrustedWork.Assignment(trusted with { Untrusted = true }, "lease-1", "ghs_token", "oauth2", TimeSpan.FromSeconds(5));

        Assert.Equal(("ghs_token", "s3cr3t"), (given.Source.Token, given.Job!.Secrets["TOKEN"]));
        Assert.Null(stripped.Source.Token);
        Assert.Empty(stripped.Job!.Secrets);
        Assert.Equal("1", stripped.Job.Variables["A"]);
        Assert.Equal("oauth2", stripped.Source.TokenUser);
        Assert.False(UntrustedWork.MayClone(trusted with { Untrusted = true }));
    }
}
