using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Functions.Reminders.Chat;

namespace ReviewBot.Functions.Reminders.Policy;

/// <summary>One person reminded about one pull request, at the pull request's <paramref name="ActivityAt"/> (to tell when it changes).</summary>
public sealed record Reminded(PullRequestKey PullRequest, string Login, DateTimeOffset ActivityAt);

/// <summary>One message to send: where, what, and what to record once it is sent.</summary>
public sealed record PlannedMessage(ChatTarget Target, Notice Notice, IReadOnlyList<Reminded> Reminders, IReadOnlyList<Reminded> Escalations);

/// <summary>Why someone was not reminded about a pull request this time (logs and tests).</summary>
public sealed record Skipped(PullRequestKey PullRequest, string Login, string Why);

/// <summary>The outcome of planning: the messages, and every reminder left out with its reason.</summary>
public sealed record ReminderPlan(IReadOnlyList<PlannedMessage> Messages, IReadOnlyList<Skipped> Skipped);
