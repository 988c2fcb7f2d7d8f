using ReviewBot.Functions.CodeHosts.GitHub.Trust;
using ReviewBot.Functions.CodeHosts.GitLab.Trust;
namespace ReviewBot.Functions.Trust;

/// <summary>
/// Who counts as trusted on each code host, and how to say what someone is. One place for the rule, used for pull
/// request authors and for the people who approve them alike.
/// </summary>
public static class Roles
{
    /// <summary>GitHub <c>author_association</c> values that are trusted, as in Prow's trigger plugin: the owner, members
    /// of the owning organization and invited collaborators.</summary>
    public static readonly IReadOnlySet<string> TrustedAssociations =
        new HashSet<string>(["OWNER", "MEMBER", "COLLABORATOR"], StringComparer.OrdinalIgnoreCase);

    /// <summary>GitLab's Developer access level: the least that may push to the project, and so the least that is trusted.</summary>
    public const int GitLabDeveloper = 30;

    public static bool IsTrustedAssociation(string? association) => association is not null && TrustedAssociations.Contains(association);

    /// <summary>GitHub's <c>collaborators/{user}/permission</c> answer that may approve by label: write (which maintain
    /// reports as) or admin.</summary>
    public static bool IsWriter(string? permission) => permission is "admin" or "write";

    public static string DescribeAssociation(string? association) => association?.ToUpperInvariant() switch
    {
        "OWNER" => "the repository's owner",
        "MEMBER" => "a member of the organization",
        "COLLABORATOR" => "a collaborator",
        "CONTRIBUTOR" => "a contributor without write access",
        "FIRST_TIME_CONTRIBUTOR" => "a first-time contributor",
        "FIRST_TIMER" => "new to GitHub (first-timer)",
        "MANNEQUIN" => "a placeholder account (mannequin)",
        "NONE" => "not associated with the repository",
        null or "" => "of unknown association (none given)",
        _ => $"of unknown association '{association}'",
    };

    /// <param name="level">Null when the user is not a member of the project (GitLab answers 404).</param>
    public static string DescribeAccessLevel(int? level) => level switch
    {
        null or <= 0 => "not a member of the project",
        < 10 => "a member with minimal access",
        < 15 => "a guest",
        < 20 => "a planner",
        < GitLabDeveloper => "a reporter",
        < 40 => "a developer",
        < 50 => "a maintainer",
        _ => "an owner",
    };
}
