using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.Agent.Workspaces;
using ReviewBot.Contracts.Agents;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Workspaces;

public class RepoCacheTests(TestRepo repo) : IClassFixture<TestRepo>
{
    private static RepoCache NewCache(TempDirectory workDir) => new(workDir.Path, NullLogger<RepoCache>.Instance);

    [Fact]
    public async Task FetchesOverFileUrlAndChecksOutTheHeadCommit()
    {
        using var workDir = new TempDirectory();
        var cache = NewCache(workDir);

        await using var workspace = await cache.CheckoutAsync(repo.Source(), "task-1", _ => { }, CancellationToken.None).Within();

        Assert.True(File.Exists(Path.Combine(workspace.Checkout, "new.sh")));
        Assert.False(File.Exists(Path.Combine(workspace.Checkout, "gone.sh")));
        Assert.False(File.Exists(Path.Combine(workspace.Checkout, "main-only.sh")));
        Assert.Equal(repo.HeadSha, TestRepo.Git(workspace.Checkout, "rev-parse", "HEAD").Trim());
        Assert.StartsWith(cache.TasksDirectory, workspace.Checkout);
    }

    [Fact]
    public async Task ChangedFilesAreTheThreeDotDiffWithRenamesAsNewPathAndWithoutDeletions()
    {
        using var workDir = new TempDirectory();

        await using var workspace = await NewCache(workDir).CheckoutAsync(repo.Source(), "task-1", _ => { }, CancellationToken.None).Within();

        // README.md and main-only.sh changed on main after the branch point: not part of base...head.
        Assert.Equal(TestRepo.ExpectedChangedFiles, workspace.ChangedFiles);
    }

    [Fact]
    public async Task WithoutABaseCommitChangedFilesAreUnknownAndAllFilesAreListed()
    {
        using var workDir = new TempDirectory();

        await using var workspace = await NewCache(workDir).CheckoutAsync(repo.Source(withBase: false), "task-1", _ => { }, CancellationToken.None).Within();

        Assert.Null(workspace.ChangedFiles);
        Assert.Equal(["README.md", "a.sh", "b.txt", "c.py", "new.sh"], await workspace.ListFilesAsync(CancellationToken.None).Within());
    }

    [Fact]
    public async Task ASecondTaskOfTheSameRepoReusesTheCachedClone()
    {
        using var workDir = new TempDirectory();
        var cache = NewCache(workDir);
        var progress = new List<string>();

        await using (await cache.CheckoutAsync(repo.Source(), "task-1", progress.Add, CancellationToken.None).Within())
        {
        }

        progress.Clear();
        await using var second = await cache.CheckoutAsync(repo.Source(), "task-2", progress.Add, CancellationToken.None).Within();

        Assert.Single(Directory.GetDirectories(cache.ReposDirectory));
        Assert.Contains(progress, line => line.StartsWith("using cached commits", StringComparison.Ordinal));
        Assert.DoesNotContain(progress, line => line.StartsWith("fetching", StringComparison.Ordinal));
        Assert.Equal(TestRepo.ExpectedChangedFiles, second.ChangedFiles);
    }

    [Fact]
    public async Task ConcurrentTasksOfTheSameRepoGetTheirOwnCheckouts()
    {
        using var workDir = new TempDirectory();
        var cache = NewCache(workDir);

        var checkouts = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => cache.CheckoutAsync(repo.Source(), $"task-{i}", _ => { }, CancellationToken.None))).Within();

        Assert.Equal(3, checkouts.Select(c => c.Checkout).Distinct().Count());
        Assert.All(checkouts, c => Assert.Equal(TestRepo.ExpectedChangedFiles, c.ChangedFiles));
        foreach (var checkout in checkouts)
        {
            await checkout.DisposeAsync();
        }

        Assert.Empty(Directory.GetDirectories(cache.TasksDirectory));
    }

    [Fact]
    public async Task DisposingRemovesTheCheckoutAndItsWorktreeRegistration()
    {
        using var workDir = new TempDirectory();
        var cache = NewCache(workDir);
        var workspace = await cache.CheckoutAsync(repo.Source(), "task-1", _ => { }, CancellationToken.None).Within();
        File.WriteAllText(Path.Combine(workspace.TaskDirectory, "extra.txt"), "task output");

        await workspace.DisposeAsync().AsTask().Within();

        Assert.False(Directory.Exists(workspace.TaskDirectory));
        var worktrees = TestRepo.Git(cache.RepositoryDirectory("acme/widgets"), "worktree", "list", "--porcelain");
        Assert.DoesNotContain(workspace.Checkout, worktrees);
    }

    [Fact]
    public async Task AnUnreachableRemoteIsAGitExceptionSayingWhatFailed()
    {
        using var workDir = new TempDirectory();
        var source = repo.Source() with { CloneUrl = new Uri(workDir.Combine("no-such-repo.git")).AbsoluteUri };

        var error = await Assert.ThrowsAsync<GitException>(() => NewCache(workDir).CheckoutAsync(source, "task-1", _ => { }, CancellationToken.None)).Within();

        Assert.Contains("git fetch failed", error.Message);
        var tasks = Path.Combine(workDir.Path, "tasks");
        Assert.True(!Directory.Exists(tasks) || Directory.GetDirectories(tasks).Length == 0);
    }

    [Fact]
    public async Task AnUnknownCommitIsAGitException()
    {
        using var workDir = new TempDirectory();
        var source = repo.Source() with { HeadSha = new string('1', 40), HeadRef = null, BaseRef = null, PullRequest = null };

        await Assert.ThrowsAsync<GitException>(() => NewCache(workDir).CheckoutAsync(source, "task-1", _ => { }, CancellationToken.None)).Within();
    }

    [Fact]
    public void RepositoryDirectoriesAreSanitisedAndDistinct()
    {
        var cache = new RepoCache("/work", NullLogger<RepoCache>.Instance);

        var a = Path.GetFileName(cache.RepositoryDirectory("Acme/Widgets"));
        var b = Path.GetFileName(cache.RepositoryDirectory("acme-widgets"));

        Assert.Matches("^acme-widgets-[0-9a-f]{8}$", a);
        Assert.NotEqual(a, b);
        Assert.Equal(a, Path.GetFileName(cache.RepositoryDirectory("acme/widgets")));
        Assert.DoesNotContain("..", Path.GetFileName(cache.TaskDirectory("../../etc")));
    }

    private string Bare => new Uri(repo.CloneUrl).LocalPath;

    private SourceSpec OnRef(string headRef) => new("acme/widgets", repo.CloneUrl, "", headRef, null, null, null, null) { AllowLocal = true };

    [Theory]
    [InlineData("v-annotated")]
    [InlineData("refs/tags/v-annotated")]
    public async Task AnAnnotatedTagResolvesToItsCommit(string headRef)
    {
        TestRepo.Git(Bare, "tag", "-f", "-a", "v-annotated", "-m", "release", repo.BaseOfBranch);
        using var workDir = new TempDirectory();

        await using var workspace = await NewCache(workDir).CheckoutAsync(OnRef(headRef), "task-1", _ => { }, CancellationToken.None).Within();

        Assert.Equal(repo.BaseOfBranch, workspace.HeadSha);
        Assert.Equal(repo.BaseOfBranch, TestRepo.Git(workspace.Checkout, "rev-parse", "HEAD").Trim());
        Assert.Null(workspace.ChangedFiles);
    }

    [Fact]
    public async Task ABranchIsFetchedAgainEachTime_SoACachedCloneFollowsItWhenItMoves()
    {
        TestRepo.Git(Bare, "branch", "-f", "moving", repo.BaseOfBranch);
        using var workDir = new TempDirectory();
        var cache = NewCache(workDir);
        await using (var first = await cache.CheckoutAsync(OnRef("moving"), "task-1", _ => { }, CancellationToken.None).Within())
        {
            Assert.Equal(repo.BaseOfBranch, first.HeadSha);
        }

        TestRepo.Git(Bare, "branch", "-f", "moving", repo.HeadSha);
        await using var second = await cache.CheckoutAsync(OnRef("refs/heads/moving"), "task-2", _ => { }, CancellationToken.None).Within();

        Assert.Equal(repo.HeadSha, second.HeadSha);
        Assert.True(File.Exists(Path.Combine(second.Checkout, "new.sh")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-n")]
    [InlineData("main:refs/heads/x")]
    [InlineData("main~1")]
    [InlineData("a..b")]
    public async Task ANameThatIsNotARefIsRefusedBeforeGitSeesIt(string headRef)
    {
        using var workDir = new TempDirectory();

        var error = await Assert.ThrowsAsync<GitException>(() => NewCache(workDir).CheckoutAsync(OnRef(headRef), "task-1", _ => { }, CancellationToken.None)).Within();

        Assert.Contains(headRef.Length == 0 ? "neither a commit nor a ref" : "is not a branch or tag name", error.Message);
    }
}
