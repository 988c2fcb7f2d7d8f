using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReviewBot.Functions.Ingest;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Tasks;

namespace ReviewBot.Tests.CodeHosts.GitLab.Webhooks;

/// <summary>Authenticated but hostile merge request hooks (security review D2, D8, D11): oversized fields and numbers
/// out of range are a 400 problem naming the field, nothing stored.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitLabWebhookBoundsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp _app = null!;
    private GitRepo _repo = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, GitLabDeliveries.Settings());
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo ok\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<string> AssertRefused(Action<JsonNode> edit, string field)
    {
        var uuid = Guid.NewGuid().ToString();
        var response = await GitLabDeliveries.PostAsync(_app, GitLabDeliveries.MergeRequest(_repo, edit: edit), uuid: uuid);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, JsonDocument.Parse(text).RootElement.GetProperty("field").GetString());
        Assert.Empty(await _app.Tasks.ListAllAsync());
        Assert.False(await _app.Services.GetRequiredService<DeliveryStore>().ExistsAsync("gitlab", uuid, CancellationToken.None));
        return text;
    }

    [Theory]
    [InlineData(2_147_483_648L)]
    [InlineData(4_294_967_301L)]
    [InlineData(9_007_199_254_740_993L)]
    public async Task IidBeyondInt_Is400NamingIt(long iid)
    {
        var text = await AssertRefused(j => j["object_attributes"]!["iid"] = iid, "object_attributes.iid");

        Assert.Contains("2147483647", text);
    }

    [Theory]
    [InlineData("object_attributes.source_branch", 40_000)]
    [InlineData("object_attributes.target_branch", 40_000)]
    [InlineData("project.path_with_namespace", 40_000)]
    [InlineData("object_attributes.source.git_http_url", 40_000)]
    [InlineData("object_attributes.last_commit.id", 5_000)]
    [InlineData("object_attributes.action", 5_000)]
    public async Task OversizedField_Is400NamingIt(string field, int length)
    {
        var parts = field.Split('.');
        var text = await AssertRefused(j =>
        {
            var parent = parts[..^1].Aggregate(j, (node, name) => node[name]!);
            parent[parts[^1]] = parent[parts[^1]]!.GetValue<string>() + new string('a', length);
        }, field);

        Assert.Contains("at most", text);
    }

    [Fact]
    public async Task LoneSurrogateInAString_Is400()
    {
        var body = Encoding.UTF8.GetString(GitLabDeliveries.MergeRequest(_repo)).Replace("\"feature\"", "\"\\ud800feature\"");

        var response = await GitLabDeliveries.PostAsync(_app, Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await _app.Tasks.ListAllAsync());
    }
}
