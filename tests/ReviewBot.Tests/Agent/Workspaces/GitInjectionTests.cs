using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.Agent.Workspaces;
using ReviewBot.Contracts.Agents;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Workspaces;

/// <summary>
/// D1 and D5 of the security review on the agent, with real git: a clone URL or a ref that git would read as an
/// option (<c>--upload-pack=touch …</c> runs <c>touch</c> through the local transport) must never reach git, and a
/// source the server did not mark <see cref="SourceSpec.AllowLocal"/> may only name https and ssh remotes. Each
/// payload is one that created its sentinel file on the code before the fix.
/// </summary>
public sealed class GitInjectionTests(TestRepo repo) : IClassFixture<TestRepo>, IDisposable
{
    private readonly TempDirectory _workDir = new();

    public void Dispose() => _workDir.Dispose();

    private string Sentinel(string name) => _workDir.Combine(name);

    private Task<GitWorkspace> CheckoutAsync(SourceSpec source) =>
        new RepoCache(_workDir.Combine("agent"), NullLogger<RepoCache>.Instance).CheckoutAsync(source, "task-1", _ => { }, CancellationToken.None).Within();

    [Theory]
    [InlineData("--upload-pack=touch {0}")]
    [InlineData("--upload-pack=touch${{IFS}}{0}")]
    [InlineData("-u touch {0}")]
    public async Task ACloneUrlThatIsAnOption_IsRefusedAndRunsNothing(string cloneUrl)
    {
        var sentinel = Sentinel("pwned-cloneurl");
        var source = repo.Source() with { CloneUrl = string.Format(System.Globalization.CultureInfo.InvariantCulture, cloneUrl, sentinel) };

        var error = await Assert.ThrowsAsync<GitException>(() => CheckoutAsync(source));

        Assert.False(File.Exists(sentinel), "git ran the clone URL as --upload-pack");
        Assert.Contains("clone URL", error.Message);
    }

    /// <summary>The by-SHA fetch fails (the head was force-pushed away), so the agent fetches the refs the task names.</summary>
    [Theory]
    [InlineData("head")]
    [InlineData("base")]
    public async Task ARefThatIsAnOption_IsRefusedEvenOnTheFallbackFetch(string which)
    {
        var sentinel = Sentinel($"pwned-{which}ref");
        var hostile = $"--upload-pack=touch {sentinel}";
        var source = repo.Source() with { HeadSha = new string('1', 40) };
        source = which == "head" ? source with { HeadRef = hostile } : source with { BaseRef = hostile };

        var error = await Assert.ThrowsAsync<GitException>(() => CheckoutAsync(source));

        Assert.False(File.Exists(sentinel), $"git ran the {which} ref as --upload-pack");
        Assert.Contains($"{which} ref", error.Message);
    }

    [Fact]
    public async Task ARefWithoutSpaces_IsRefusedAsWell()
    {
        var sentinel = Sentinel("pwned-ifs");
        var source = repo.Source() with { HeadSha = new string('1', 40), HeadRef = "--upload-pack=touch${IFS}" + sentinel };

        await Assert.ThrowsAsync<GitException>(() => CheckoutAsync(source));

        Assert.False(File.Exists(sentinel));
    }

    [Theory]
    [InlineData("1111")]
    [InlineData("--output=x")]
    [InlineData("HEAD")]
    public async Task ACommitThatIsNotAHexSha_IsRefused(string sha)
    {
        var error = await Assert.ThrowsAsync<GitException>(() => CheckoutAsync(repo.Source() with { HeadSha = sha }));

        Assert.Contains("head commit", error.Message);
    }

    /// <summary>D5: a webhook (no <see cref="SourceSpec.AllowLocal"/>) must not make the agent read a repository on its
    /// own disk, such as another project's cache under work-dir/repos.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ALocalSourceWithoutAllowLocal_IsRefusedWithAClearError(bool asFileUrl)
    {
        var bare = new Uri(repo.CloneUrl).LocalPath;
        var source = repo.Source() with { CloneUrl = asFileUrl ? repo.CloneUrl : bare, AllowLocal = false };

        var error = await Assert.ThrowsAsync<GitException>(() => CheckoutAsync(source));

        Assert.Contains("local", error.Message);
        Assert.Contains("only for jobs", error.Message);
        Assert.False(Directory.Exists(_workDir.Combine("agent", "tasks", "task-1", "src")));
    }

    [Fact]
    public async Task ALocalSourceWithAllowLocal_IsFetched()
    {
        await using var workspace = await CheckoutAsync(repo.Source() with { CloneUrl = new Uri(repo.CloneUrl).LocalPath, AllowLocal = true });

        Assert.Equal(repo.HeadSha, workspace.HeadSha);
    }

    /// <summary>D5: plain http to an internal address is not fetched (no request reaches the listener).</summary>
    [Fact]
    public async Task AnHttpSourceWithoutAllowLocal_IsNotFetched()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connections = 0;
        using var stop = new CancellationTokenSource();
        // Answers every connection by closing it, so a git that did connect fails at once instead of waiting.
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref connections);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var error = await Assert.ThrowsAsync<GitException>(() => CheckoutAsync(repo.Source() with { CloneUrl = $"http://127.0.0.1:{port}/x.git", AllowLocal = false }));

        Assert.Equal(0, Volatile.Read(ref connections));
        Assert.Contains("https or ssh", error.Message);
        await stop.CancelAsync();
        await accepting.Within();
    }

    [Theory]
    [InlineData("ext::sh -c touch% /tmp/pwned-ext")]
    [InlineData("fd::0")]
    [InlineData("ssh://-oProxyCommand=touch%20x/repo")]
    [InlineData("-oProxyCommand=touch x:repo")]
    [InlineData("git@-oProxyCommand=x:repo")]
    public async Task RemoteHelperAndOptionLikeHosts_AreRefusedEvenWithAllowLocal(string cloneUrl)
    {
        var error = await Assert.ThrowsAsync<GitException>(() => CheckoutAsync(repo.Source() with { CloneUrl = cloneUrl, AllowLocal = true }));

        Assert.Contains("clone URL", error.Message);
    }

    [Fact]
    public void TheFetchRestrictsTransports_AndPutsTheUrlAndRefsAfterDoubleDash()
    {
        var webhook = new SourceSpec("acme/app", "https://github.com/acme/app.git", new string('a', 40), "main", null, null, null, null);

        var arguments = RepoCache.FetchArguments(webhook, ["refs/pull/7/head", "main"], writeFetchHead: false);

        Assert.Equal(
            ["-c", "protocol.allow=never", "-c", "protocol.https.allow=always", "-c", "protocol.ssh.allow=always",
             "fetch", "--no-tags", "--quiet", "--no-write-fetch-head", "--", "https://github.com/acme/app.git", "refs/pull/7/head", "main"],
            arguments);
        Assert.Equal(["https", "ssh"], RepoCache.AllowedProtocols(webhook));
        Assert.Equal(["https", "ssh", "file", "http", "git"], RepoCache.AllowedProtocols(webhook with { AllowLocal = true }));
    }
}
