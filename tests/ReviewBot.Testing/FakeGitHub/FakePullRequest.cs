namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// A seeded pull request. Its diff is the <c>git diff base...head</c> text of the current head; every head it ever had
/// is kept (<see cref="Heads"/>), because GitHub accepts review comments against an earlier commit of the pull request
/// and checks their lines against that commit's diff. Changed only under the server's state lock.
/// </summary>
public sealed class FakePullRequest
{
    private readonly FakeGitHubServer _server;
    private readonly List<FakeHead> _heads = [];

    internal FakePullRequest(FakeGitHubServer server, string owner, string repo, int number, string baseSha)
    {
        _server = server;
        Owner = owner;
        Repo = repo;
        Number = number;
        BaseSha = baseSha;
    }

    public string Owner { get; }
    public string Repo { get; }
    public int Number { get; }
    public string BaseSha { get; }
    public string BaseRef { get; set; } = "main";
    public string HeadRef { get; set; } = "feature";
    public string AuthorLogin { get; set; } = "octocat";

    /// <summary>The head branch's repository ("owner/name"); null means the pull request's own. Another repository makes
    /// it a pull request from a fork.</summary>
    public string? HeadRepository { get; set; }

    /// <summary>Every head, oldest first; the last is current.</summary>
    public IReadOnlyList<FakeHead> Heads { get { lock (_heads) return [.. _heads]; } }

    public string HeadSha => Current.Sha;
    public IReadOnlyList<FakeDiffFile> Files => Current.Files;
    internal FakeHead Current { get { lock (_heads) return _heads[^1]; } }

    internal FakeHead? HeadAt(string sha)
    {
        lock (_heads) return _heads.LastOrDefault(h => h.Sha.Equals(sha, StringComparison.OrdinalIgnoreCase));
    }

    internal void PushHead(string headSha, string unifiedDiff)
    {
        lock (_heads) _heads.Add(new FakeHead(headSha, FakeDiff.Parse(unifiedDiff)));
    }

    /// <summary>A new push: the head moves and existing review comments are re-anchored (see the Reviews fake).</summary>
    public void SetHead(string headSha, string unifiedDiff) => _server.OnPush(this, headSha, unifiedDiff);
}

/// <summary>One head commit of a pull request and the parsed diff of base...head at that commit.</summary>
public sealed record FakeHead(string Sha, IReadOnlyList<FakeDiffFile> Files)
{
    public FakeDiffFile? File(string path) => Files.FirstOrDefault(f => f.Path == path);
}
