using System.Text.Json.Nodes;

namespace ReviewBot.Tests.Infrastructure;

/// <summary>Fixture payloads (real GitHub deliveries) adapted to point at a local repository.</summary>
public static class Deliveries
{
    public static JsonNode Load(string name) => JsonNode.Parse(File.ReadAllText(RepoPaths.TestData("github", name + ".json")))!;

    /// <summary>pull_request.opened for <paramref name="repo"/>: clone URL, head and base SHAs replaced.</summary>
    public static byte[] PullRequest(GitRepo repo, string fixture = "pull_request.opened", string repository = "Codertocat/Hello-World", int number = 2)
    {
        var json = Load(fixture);
        json["number"] = number;
        json["repository"]!["full_name"] = repository;
        json["repository"]!["clone_url"] = repo.CloneUrl;
        json["pull_request"]!["number"] = number;
        json["pull_request"]!["head"]!["sha"] = repo.HeadSha;
        json["pull_request"]!["head"]!["ref"] = "feature";
        json["pull_request"]!["base"]!["sha"] = repo.BaseSha;
        json["pull_request"]!["base"]!["ref"] = "main";
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
