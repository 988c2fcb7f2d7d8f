using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReviewBot.Tests.Tasks;

/// <summary>POST /api/labels/evaluate over real HTTP: status codes, content types and JSON shapes.</summary>
public sealed class LabelEndpointsHttpTests(LabelEndpointsServer server) : IClassFixture<LabelEndpointsServer>
{
    private const string Route = "/api/labels/evaluate";

    private async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(object body)
    {
        var response = await server.Client.PostAsJsonAsync(Route, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response, json);
    }

    [Fact]
    public async Task Post_MatchingLabels_Returns200WithMatchesTrue()
    {
        var (response, body) = await PostAsync(new { filter = "linux && go", labels = new[] { "go", "linux" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.GetProperty("matches").GetBoolean());
    }

    [Fact]
    public async Task Post_NonMatchingLabels_Returns200WithMatchesFalse()
    {
        var (response, body) = await PostAsync(new { filter = "gpu", labels = new[] { "linux" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(body.GetProperty("matches").GetBoolean());
    }

    [Fact]
    public async Task Post_SyntaxError_Returns400ProblemWithDetailAndPosition()
    {
        var (response, body) = await PostAsync(new { filter = "linux && (gpu", labels = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        Assert.Equal("missing closing ')' for '(' at 9", body.GetProperty("detail").GetString());
        Assert.Equal(13, body.GetProperty("position").GetInt32());
    }

    [Fact]
    public async Task Post_MissingField_Returns400ProblemNamingTheField()
    {
        var (response, body) = await PostAsync(new { filter = "linux" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'labels'", body.GetProperty("detail").GetString());
        Assert.False(body.TryGetProperty("position", out _));
    }

    [Fact]
    public async Task Post_MalformedJson_Returns400Problem()
    {
        using var content = new StringContent("{\"filter\": ", System.Text.Encoding.UTF8, "application/json");
        var response = await server.Client.PostAsync(Route, content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
