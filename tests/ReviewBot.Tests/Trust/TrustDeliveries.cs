using System.Text;
using System.Text.Json.Nodes;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Trust;

/// <summary>GitHub deliveries of the trust tests: a pull request from a newcomer's fork, an <c>issue_comment</c> on it,
/// the approval label (real payloads from TestData/github, edited).</summary>
public static class TrustDeliveries
{
    public const string Newcomer = "newcomer";
    public const string Fork = "newcomer/Hello-World";

    /// <summary>pull_request.<paramref name="fixture"/> of <paramref name="repo"/>'s head from <see cref="Fork"/>, by
    /// <see cref="Newcomer"/> (<paramref name="association"/>).</summary>
    public static byte[] ForkPullRequest(GitRepo repo, string repository, int number, string fixture = "pull_request.opened",
        string association = "FIRST_TIME_CONTRIBUTOR", string? cloneUrl = null)
    {
        var json = JsonNode.Parse(Deliveries.PullRequest(repo, fixture, repository, number))!;
        var pr = json["pull_request"]!;
        pr["author_association"] = association;
        pr["user"]!["login"] = Newcomer;
        pr["head"]!["repo"]!["id"] = 990001;
        pr["head"]!["repo"]!["full_name"] = Fork;
        if (cloneUrl is not null) json["repository"]!["clone_url"] = cloneUrl;
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>A same-repository pull request (head.repo = base.repo) by someone with no association.</summary>
    public static byte[] BranchPullRequest(GitRepo repo, string repository, int number, string? cloneUrl = null)
    {
        var json = JsonNode.Parse(Deliveries.PullRequest(repo, "pull_request.opened", repository, number))!;
        json["pull_request"]!["author_association"] = "NONE";
        if (cloneUrl is not null) json["repository"]!["clone_url"] = cloneUrl;
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>issue_comment.created on pull request <paramref name="number"/> by <paramref name="login"/>.</summary>
    public static byte[] Comment(string repository, int number, string login, string association, string body, string action = "created", bool onPullRequest = true)
    {
        var json = Deliveries.Load("issue_comment.created.on-pull-request");
        json["action"] = action;
        json["repository"]!["full_name"] = repository;
        json["issue"]!["number"] = number;
        if (!onPullRequest) json["issue"]!.AsObject().Remove("pull_request");
        json["comment"]!["user"]!["login"] = login;
        json["comment"]!["author_association"] = association;
        json["comment"]!["body"] = body;
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>pull_request.labeled with <paramref name="label"/>, added by <paramref name="sender"/>.</summary>
    public static byte[] Labeled(GitRepo repo, string repository, int number, string label, string sender)
    {
        var json = JsonNode.Parse(ForkPullRequest(repo, repository, number, "pull_request.labeled"))!;
        json["label"]!["name"] = label;
        json["sender"]!["login"] = sender;
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
