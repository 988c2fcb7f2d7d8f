using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using ReviewBot.Tests.CodeHosts.GitLab;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Hosting;

/// <summary>Request bodies (security review D9, D13): 1 MiB by default, the webhook routes their own 25 MB; a body
/// that is too large is a 413 problem, one that trickles in too slowly a 408 problem, on every route.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RequestBodyLimitsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() =>
        // A slow client is cut after two seconds instead of Kestrel's default five.
        _app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, GitLabDeliveries.Settings(),
            configure: b => b.WebHost.ConfigureKestrel(k => k.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(2))));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task LabelEvaluationWith2MB_Is413Problem()
    {
        var body = JsonSerializer.Serialize(new { filter = "linux", labels = new[] { new string('l', 2 * 1024 * 1024) } });

        var response = await _app.Http.PostAsync("/api/labels/evaluate", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task JobDefinitionWith2MB_Is413Problem()
    {
        var body = JsonSerializer.Serialize(new { name = "big", repository = "o/r", trigger = new { kind = "manual" }, steps = new[] { new string('s', 2 * 1024 * 1024) } });

        var response = await _app.Http.PostAsync("/api/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimit_Is413Problem()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"filter\":\"" + new string('l', 2 * 1024 * 1024) + "\"}")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/labels/evaluate") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _app.Http.SendAsync(request);

        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task AWebhookOf2MB_IsStillAccepted()
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { zen = "Keep it logically awesome.", hook_id = 1, padding = new string('p', 2 * 1024 * 1024) }));

        var response = await _app.PostDeliveryAsync("ping", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string> Routes => new()
    {
        { "/api/labels/evaluate", $"Authorization: Bearer {TestApp.AdminKey}" },
        { "/api/jobs", $"Authorization: Bearer {TestApp.AdminKey}" },
        { "/api/github/webhook", "X-Hub-Signature-256: sha256=" + new string('0', 64) },
        { "/api/gitlab/webhook", $"X-Gitlab-Token: {GitLabDeliveries.Secret}" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task ABodyThatTricklesIn_Is408Problem(string path, string credentials)
    {
        var headers = new[]
        {
            "Content-Type: application/json", "Content-Length: 1000", credentials,
            "X-GitHub-Event: pull_request", $"X-GitHub-Delivery: {Guid.NewGuid()}", "X-Gitlab-Event: Merge Request Hook",
        };

        var answer = await RawHttp.SendPartialAsync(_app.Url, "POST", path, headers, "{"u8.ToArray(), Timeouts.Short);

        Assert.True(answer.Status == 408, $"{answer.Status}: {answer.Body}");
        Assert.StartsWith("application/problem+json", answer.Headers["Content-Type"]);
    }
}
