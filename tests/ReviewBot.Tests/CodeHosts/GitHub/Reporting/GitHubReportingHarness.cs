using System.Net;
using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitHub;

namespace ReviewBot.Tests.CodeHosts.GitHub.Reporting;

/// <summary>
/// The GitHub reporting path on real parts: Azurite, the app, a real agent process running the real linter on a
/// real git repository, and the fake GitHub (reached through <c>ReviewBot:GitHub:ApiUrl</c>, as GitHub Enterprise
/// would be) holding the pull request with the same diff git computes.
/// </summary>
public sealed class GitHubReportingHarness : IAsyncDisposable
{
    public const string Owner = "Codertocat";
    public const string Name = "Hello-World";
    public const string Repository = Owner + "/" + Name;
    public const int Number = 2;
    public const string Pat = "ghp_personal_token_for_tests";

    private readonly List<IAsyncDisposable> _owned = [];
    private string? _keyPath;
    private AzuriteFixture _azurite = null!;
    private string _config = "";
    private Dictionary<string, string?> _settings = [];

    private GitHubReportingHarness(GitRepo repo, FakeGitHubServer github)
    {
        Repo = repo;
        GitHub = github;
    }

    public GitRepo Repo { get; }
    public FakeGitHubServer GitHub { get; }
    public TestApp App { get; private set; } = null!;
    public FakePullRequest PullRequest => GitHub.PullRequest(Owner, Name, Number)!;

    /// <param name="asApp">A GitHub App (check runs) or a personal access token (commit statuses).</param>
    /// <param name="agent">Start a linux agent; false leaves every task queued.</param>
    /// <param name="seededDiff">The diff the fake GitHub holds for the pull request; by default git's own.</param>
    public static async Task<GitHubReportingHarness> StartAsync(
        AzuriteFixture azurite, GitRepo repo, string config, bool asApp = true, bool agent = true,
        IDictionary<string, string?>? settings = null, string? seededDiff = null)
    {
        var github = await FakeGitHubServer.StartAsync();
        var h = new GitHubReportingHarness(repo, github);
        h._owned.Add(github);
        github.AddPullRequest(Owner, Name, Number, repo.BaseSha, repo.HeadSha, seededDiff ?? repo.Diff());
        var all = new Dictionary<string, string?>
        {
            ["ReviewBot:GitHub:ApiUrl"] = github.ApiUrl.ToString(),
            ["ReviewBot:GitHub:Http:WriteSpacing"] = "00:00:00",
            ["ReviewBot:Reporting:PublicUrl"] = "https://reviewbot.example.com",
            ["ReviewBot:Reporting:RetryDelay"] = "00:00:00.200",
        };
        if (asApp)
        {
            h._keyPath = Path.Combine(Path.GetTempPath(), $"reviewbot-app-{Guid.NewGuid():N}.pem");
            await File.WriteAllTextAsync(h._keyPath, github.PrivateKeyPem);
            all["ReviewBot:GitHub:AppId"] = github.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            all["ReviewBot:GitHub:PrivateKeyPath"] = h._keyPath;
        }
        else
        {
            github.PersonalAccessToken = Pat;
            all["ReviewBot:GitHub:Token"] = Pat;
        }
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        (h._azurite, h._config, h._settings) = (azurite, config, all);
        h.App = await TestApp.StartAsync(azurite, config, all);
        h._owned.Add(h.App);
        if (agent)
        {
            var process = AgentProcess.Start(h.App.Url, "linux-box", ["linux"]);
            h._owned.Add(process);
            await h.App.WaitForOnlineAsync(process, Timeouts.Long);
        }
        return h;
    }

    /// <summary>Delivers pull_request.<paramref name="action"/> for the repository's current head; returns the task ids.</summary>
    public async Task<IReadOnlyList<string>> DeliverAsync(string action = "opened")
    {
        var fixture = action == "opened" ? "pull_request.opened" : "pull_request.synchronize";
        var response = await App.PostDeliveryAsync("pull_request", Deliveries.PullRequest(Repo, fixture, Repository, Number));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return [.. answer.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>Pushes <paramref name="files"/> as a new commit, tells the fake GitHub, and delivers synchronize.</summary>
    public async Task<IReadOnlyList<string>> PushAsync(IReadOnlyDictionary<string, string?> files)
    {
        var head = Repo.Push(files);
        PullRequest.SetHead(head, Repo.Diff());
        return await DeliverAsync("synchronize");
    }

    /// <summary>Stops the app and starts a new one on the same storage (a restart or another instance taking over),
    /// with <paramref name="settings"/> changed.</summary>
    public async Task RestartAppAsync(IDictionary<string, string?>? settings = null)
    {
        _owned.Remove(App);
        await App.DisposeAsync();
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) _settings[k] = v;
        App = await TestApp.StartAsync(_azurite, _config, _settings, App.Prefix);
        _owned.Add(App);
    }

    /// <summary>Waits until the task has ended and its report is fully published (or given up).</summary>
    public Task<ReviewTask> ReportedAsync(string id) =>
        App.WaitForTaskAsync(id, t => t.State.IsTerminal() && t.Reporting.Done, Timeouts.Long, $"task {id} to be reported");

    public async Task<ReviewTask> TaskAsync(string id) => (await App.Tasks.GetAsync(id, default))!;

    public async ValueTask DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        if (_keyPath is not null) File.Delete(_keyPath);
    }
}
