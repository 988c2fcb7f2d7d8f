using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Testing.FakeGitHub;

namespace ReviewBot.Tests.Testing.FakeGitHub;

/// <summary>A started fake with one App installation token and one personal access token, driven by plain HttpClients.</summary>
public sealed class FakeGitHubClient : IAsyncDisposable
{
    public const string AppToken = "ghs_fake_app_installation_token_000000000";
    public const string Pat = "ghp_fake_personal_access_token_0000000000";

    private FakeGitHubClient(FakeGitHubServer server, FakeTimeProvider time)
    {
        Server = server;
        Time = time;
        App = Client(AppToken);
        User = Client(Pat);
    }

    public FakeGitHubServer Server { get; }
    public FakeTimeProvider Time { get; }

    /// <summary>Authenticated with an installation token (acts as reviewbot[bot]).</summary>
    public HttpClient App { get; }

    /// <summary>Authenticated with the personal access token.</summary>
    public HttpClient User { get; }

    public static async Task<FakeGitHubClient> StartAsync(string pathBase = "")
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var server = await FakeGitHubServer.StartAsync(pathBase, time);
        server.PersonalAccessToken = Pat;
        lock (server.IssuedTokens) server.IssuedTokens[AppToken] = (1, DateTimeOffset.MaxValue);
        return new FakeGitHubClient(server, time);
    }

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = Server.ApiUrl };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("reviewbot-tests", "1"));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        return client;
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        User.Dispose();
        await Server.DisposeAsync();
    }
}
