using System.Text.Json;
using System.Text.Json.Nodes;
using ReviewBot.Functions.CodeHosts.GitHub.Reminders;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.CodeHosts.GitLab.Reminders;
using ReviewBot.Functions.Reminders;

namespace ReviewBot.Tests.Reminders.Analysis;

/// <summary>The real-shaped API answers in TestData/reminders, and snapshots made from them by the readers' mapping code.</summary>
public static class ReminderFixtures
{
    /// <summary>The moment the fixtures are analysed at.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "reminders", name);

    /// <summary>The <c>PullRequest</c> nodes of github-graphql-open-pulls.json.</summary>
    public static IReadOnlyList<JsonObject> GitHubNodes() =>
        [.. JsonNode.Parse(File.ReadAllText(PathOf("github-graphql-open-pulls.json")))!["data"]!["repository"]!["pullRequests"]!["nodes"]!.AsArray().Cast<JsonObject>()];

    /// <summary>The GitHub fixture mapped by <see cref="GitHubPullRequestQuery.Map"/>, with acme/backend = carol, erin, frank (as the reader would fill in).</summary>
    public static PullRequestSnapshot GitHub(int number)
    {
        var node = GitHubNodes().Single(n => n["number"]!.GetValue<int>() == number);
        using var doc = JsonDocument.Parse(node.ToJsonString());
        var pr = GitHubPullRequestQuery.Map(doc.RootElement, "acme/widgets");
        return pr.RequestedTeams.Count == 0 ? pr
            : pr with { TeamMembers = new Dictionary<string, IReadOnlyList<string>> { ["acme/backend"] = ["carol", "erin", "frank"] } };
    }

    /// <summary>The merge requests of gitlab-merge-requests.json, each with its sub-resources.</summary>
    public static IReadOnlyList<JsonObject> GitLabItems() =>
        [.. JsonNode.Parse(File.ReadAllText(PathOf("gitlab-merge-requests.json")))!["merge_requests"]!.AsArray().Cast<JsonObject>()];

    /// <summary>One GitLab fixture merge request mapped by <see cref="GitLabMergeRequestMapping.Map"/> from the deserialised answers.</summary>
    public static PullRequestSnapshot GitLab(int iid)
    {
        var item = GitLabItems().Single(i => i["details"]!["iid"]!.GetValue<int>() == iid);
        T Read<T>(string name) => item[name].Deserialize<T>(GitLabJson.Options)!;
        var details = Read<GitLabMergeRequestDetails>("details");
        var jobs = details.HeadPipeline is { } p && item["jobs"]![p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)] is JsonArray arr
            ? arr.Deserialize<List<GitLabJob>>(GitLabJson.Options)!.Where(j => j.Status == "failed").ToList()
            : [];
        return GitLabMergeRequestMapping.Map("acme/platform/web", details, Read<GitLabApprovals>("approvals"),
            Read<List<GitLabReviewer>>("reviewers"), Read<List<GitLabCommit>>("commits").FirstOrDefault(), jobs, Read<List<GitLabNoteEntry>>("notes"));
    }
}
