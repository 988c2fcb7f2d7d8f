using System.Text.Json.Nodes;

namespace ReviewBot.Tests.Infrastructure;

/// <summary>Fixture payloads (real GitHub deliveries) adapted to point at a local repository.</summary>
public static class Deliveries
{
    public static JsonNode Load(string name) => JsonNode.Parse(File.ReadAllText(RepoPaths.TestData("github", name + ".json")))!;

    /// <summary>pull_request.opened for <paramref name="repo"/>: clone URL, head and base SHAs replaced.</summary>
    /// <param name="updatedAt">pull_request.updated_at; now by default, so later deliveries of a test are later pushes.</param>
    public static byte[] PullRequest(GitRepo repo, string fixture = "pull_request.opened", string repository = "Codertocat/Hello-World", int number = 2,
        DateTimeOffset? updatedAt = null, string? headSha = null)
    {
        var json = Load(fixture);
        json["pull_request"]!["updated_at"] = (updatedAt ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
        json["number"] = number;
        json["repository"]!["full_name"] = repository;
        json["repository"]!["clone_url"] = repo.CloneUrl;
        json["pull_request"]!["number"] = number;
        json["pull_request"]!["head"]!["sha"] = headSha ?? repo.HeadSha;
        json["pull_request"]!["head"]!["ref"] = "feature";
        json["pull_request"]!["base"]!["sha"] = repo.BaseSha;
        json["pull_request"]!["base"]!["ref"] = "main";
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
