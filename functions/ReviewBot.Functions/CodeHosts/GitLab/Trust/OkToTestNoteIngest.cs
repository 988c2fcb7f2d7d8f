using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Webhooks;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Functions.CodeHosts.GitLab.Trust;

/// <summary>
/// Approvals from GitLab: a new note (not a system note) on an open merge request whose text holds the repository's
/// command (<see cref="OkToTestCommand"/>) approves when its author has Developer access or more on the project
/// (<see cref="GitLabMembers"/>, read from the API). Anything else is ignored with the reason (the webhook answers 200).
/// </summary>
public sealed class OkToTestNoteIngest(ReviewConfig config, Approver approver, GitLabMembers members, ILogger<OkToTestNoteIngest> log)
{
    public async Task<ApprovalOutcome> NoteAsync(NoteHook note, CancellationToken ct)
    {
        if (note.NoteableType != "MergeRequest") return ApprovalOutcome.Ignored($"noteable_type is {note.NoteableType}: only notes on merge requests can approve");
        if (note.Action is not ("create" or "")) return ApprovalOutcome.Ignored($"note.{note.Action}: only new notes can approve");
        if (note.System) return ApprovalOutcome.Ignored("a system note");
        if (note.State != "opened") return ApprovalOutcome.Ignored($"merge request !{note.Iid} is {note.State}");
        var policy = config.TrustFor(note.Repository);
        if (!OkToTestCommand.Matches(note.Note, policy.OkToTest))
            return ApprovalOutcome.Ignored($"the note is not {policy.OkToTest} (alone on a line)");
        var (trusted, role) = await members.RoleAsync(note.ProjectId, note.UserId, ct);
        if (!trusted)
        {
            var why = $"{note.Username} is {role}; only members with Developer access or more can approve";
            TrustLog.ApprovalIgnored(log, CodeHostNames.GitLab, note.Repository, note.Iid, note.Username, why);
            return ApprovalOutcome.Ignored(why);
        }
        return await approver.ApproveAsync(CodeHostNames.GitLab, note.Repository, note.Iid, $"{note.Repository}!{note.Iid}", note.Username, policy.OkToTest, ct);
    }
}
