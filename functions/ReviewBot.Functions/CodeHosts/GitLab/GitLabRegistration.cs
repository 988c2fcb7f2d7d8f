using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.CodeHosts.GitLab.Reporting;
using ReviewBot.Functions.CodeHosts.GitLab.Webhooks;
using ReviewBot.Functions.Reporting;

namespace ReviewBot.Functions.CodeHosts.GitLab;

public static class GitLabRegistration
{
    public const string HttpClientName = "gitlab";

    /// <summary>GitLab: the validated <see cref="GitLabOptions"/>, the API client (named HTTP client with the token
    /// and retries), the merge request webhook's ingest, and <see cref="GitLabReporter"/> as a code host reporter.</summary>
    public static WebApplicationBuilder AddGitLab(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddGitLabApi();
        services.AddTransient<MergeRequestIngest>();
        services.AddSingleton<ICodeHostReporter, GitLabReporter>();
        return builder;
    }

    /// <summary>The options and the API client alone (also what tests of the client and the reporter use).</summary>
    public static IServiceCollection AddGitLabApi(this IServiceCollection services)
    {
        services.AddOptions<GitLabOptions>().BindConfiguration(GitLabOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(HttpClientName, (sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<GitLabOptions>>().Value;
            if (o.ApiBase is { } api) http.BaseAddress = api;
            if (!string.IsNullOrEmpty(o.Token)) http.DefaultRequestHeaders.Add("PRIVATE-TOKEN", o.Token);
            http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ReviewBot", "1.0"));
            // The resilience handler's per-attempt timeout bounds each try; this only stops HttpClient's own 100 s default.
            http.Timeout = Timeout.InfiniteTimeSpan;
        }).AddGitLabHttpPipeline();
        services.AddTransient(sp => Client(sp.GetRequiredService<IHttpClientFactory>()));
        return services;
    }

    public static WebApplication MapGitLab(this WebApplication app)
    {
        app.MapGitLabWebhookEndpoints();
        return app;
    }

    /// <summary>A client on the pooled handler; cheap, made per use so a singleton never pins one handler.</summary>
    public static GitLabClient Client(IHttpClientFactory factory) => new(factory.CreateClient(HttpClientName));
}
