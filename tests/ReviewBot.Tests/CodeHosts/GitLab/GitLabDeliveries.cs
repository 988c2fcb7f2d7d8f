using System.Text.Json.Nodes;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.CodeHosts.GitLab;

/// <summary>GitLab webhook fixtures (go-gitlab's test data) adapted to a local repository, and how to send them.</summary>
public static class GitLabDeliveries
{
    public const string Secret = "gitlab-webhook-secret";

    public static Dictionary<string, string?> Settings(string? url = null, string? token = null) => new()
    {
        ["ReviewBot:GitLab:WebhookSecret"] = Secret,
        ["ReviewBot:GitLab:Url"] = url,
        ["ReviewBot:GitLab:Token"] = token,
    };

    public static JsonNode Load(string name) => JsonNode.Parse(File.ReadAllText(RepoPaths.TestData("gitlab", name + ".json")))!;

    /// <summary>A merge request hook for <paramref name="repo"/>'s head on branch "feature" into "main".</summary>
    public static byte[] MergeRequest(GitRepo repo, string fixture = "merge_request.open.go-gitlab", long projectId = 42, int iid = 5,
        string path = "group/project", string? headSha = null, DateTimeOffset? updatedAt = null, Action<JsonNode>? edit = null)
    {
        var json = Load(fixture);
        json["project"]!["id"] = projectId;
        json["project"]!["path_with_namespace"] = path;
        var a = json["object_attributes"]!;
        a["iid"] = iid;
        a["last_commit"]!["id"] = headSha ?? repo.HeadSha;
        a["source_branch"] = "feature";
        a["target_branch"] = "main";
        a["source"]!["git_http_url"] = repo.CloneUrl;
        a["updated_at"] = (updatedAt ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'");
        edit?.Invoke(json);
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    public static async Task<HttpResponseMessage> PostAsync(TestApp app, byte[] body, string eventName = "Merge Request Hook", string? uuid = null, string? token = Secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/gitlab/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Gitlab-Event", eventName);
        request.Headers.Add("X-Gitlab-Event-UUID", uuid ?? Guid.NewGuid().ToString());
        if (token is not null) request.Headers.Add("X-Gitlab-Token", token);
        return await app.Http.SendAsync(request);
    }
}
