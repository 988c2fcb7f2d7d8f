using Microsoft.Extensions.Options;
using Octokit;
using Octokit.Internal;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>
/// Makes Octokit connections on <see cref="GitHubWebhookOptions.ApiUrl"/> exactly as configured, sending through the
/// pooled handler of the named <see cref="HttpClientName"/> client (where the rate-limit and retry handlers sit).
/// <para>
/// The base goes to <see cref="Connection"/> directly: <c>new GitHubClient(header, uri)</c> would rewrite any host
/// other than github.com to <c>{host}/api/v3/</c>, which is right for GitHub Enterprise but not for a proxy or a
/// test server. So <c>ApiUrl</c> must name the full API base: <c>https://api.github.com/</c> or
/// <c>https://ghe.example.com/api/v3/</c>.
/// </para>
/// </summary>
public sealed class GitHubConnections(IOptions<GitHubWebhookOptions> options, IHttpMessageHandlerFactory handlers)
{
    /// <summary>The named <see cref="HttpClient"/> whose handler pipeline every GitHub request goes through.</summary>
    public const string HttpClientName = "GitHub";

    public static readonly ProductHeaderValue Product = new("ReviewBot");

    /// <summary>The API base, always ending in '/' so relative paths such as <c>app/installations/1/access_tokens</c> append.</summary>
    public Uri BaseAddress
    {
        get
        {
            var url = options.Value.ApiUrl;
            return url.AbsolutePath.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        }
    }

    /// <summary>A new connection with these credentials. Cheap: the HTTP handler underneath is pooled.</summary>
    /// <param name="unauthorized">Called when GitHub answers a request of this connection with 401 (the credentials
    /// are no longer valid), before the caller sees the refusal.</param>
    public IConnection Create(Credentials credentials, Action? unauthorized = null)
    {
        var connection = new Connection(Product, BaseAddress, new InMemoryCredentialStore(credentials),
            new HttpClientAdapter(() => unauthorized is null ? handlers.CreateHandler(HttpClientName)
                : new UnauthorizedHandler(unauthorized) { InnerHandler = handlers.CreateHandler(HttpClientName) }), new SimpleJsonSerializer());
        // HttpClient's timeout spans all attempts and the waits between them; each attempt has its own (GitHubHttpOptions).
        connection.SetRequestTimeout(RequestTimeout);
        return connection;
    }

    /// <summary>Bound on one Octokit call, retries and rate-limit waits included.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Outside the pooled pipeline (a 401 is never retried), so it sees the answer the caller gets. Disposing
    /// it leaves the pooled handler alive: the factory's handlers ignore Dispose.</summary>
    private sealed class UnauthorizedHandler(Action unauthorized) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized) unauthorized();
            return response;
        }
    }
}
