namespace ReviewBot.Functions.Reminders.Chat;

/// <summary>What a notice is for; each kind has its own template per platform.</summary>
public enum NoticeKind
{
    /// <summary>The scheduled reminder: one section per person, listing every pull request waiting on them.</summary>
    Digest,
    /// <summary>Reminders went unanswered N times: the repository's admins are mentioned.</summary>
    Escalation,
    /// <summary>The answer to a <c>status &lt;repo&gt;</c> command.</summary>
    Status,
}

/// <summary>Someone a notice names: the git login, and the chat user id on the notice's platform when bound (else named in plain text).</summary>
public sealed record NoticeRecipient(string Login, string? ChatId)
{
    public bool IsBound => !string.IsNullOrEmpty(ChatId);
}

/// <summary>One pull request in a notice.</summary>
/// <param name="Reference">"owner/repo#12" (GitLab: "group/project!12" is written as "#12" too, for one command syntax).</param>
/// <param name="Details">Extra facts: failing check names, the reviewer who asked for changes, whom an escalation is about.</param>
public sealed record NoticeItem(
    string Reference,
    string Title,
    string Url,
    BlockReason Reason,
    DateTimeOffset Since,
    IReadOnlyList<string> Details);

/// <summary>A person and the items waiting on them. <see cref="Recipient"/> is null for a section that mentions nobody (a status answer's "nobody" items).</summary>
public sealed record NoticeSection(NoticeRecipient? Recipient, IReadOnlyList<NoticeItem> Items);

/// <summary>
/// A platform-neutral message: each <see cref="IChatPlatform"/> renders it its own way (card, blocks, markdown), mentioning
/// every bound recipient with the platform's syntax and naming unbound ones in plain text.
/// </summary>
/// <param name="Title">A short heading ("Review reminders for org/repo").</param>
/// <param name="Mentions">Everyone to @-mention besides the section owners (the admins of an escalation).</param>
/// <param name="Now">When the notice was made, to render "waiting 2d".</param>
public sealed record Notice(
    NoticeKind Kind,
    string Title,
    IReadOnlyList<NoticeSection> Sections,
    IReadOnlyList<NoticeRecipient> Mentions,
    DateTimeOffset Now)
{
    /// <summary>Every bound recipient, once, in order of appearance.</summary>
    public IReadOnlyList<NoticeRecipient> MentionedRecipients =>
        Mentions.Concat(Sections.Select(s => s.Recipient).OfType<NoticeRecipient>())
            .Where(r => r.IsBound)
            .DistinctBy(r => r.ChatId, StringComparer.Ordinal)
            .ToList();
}
