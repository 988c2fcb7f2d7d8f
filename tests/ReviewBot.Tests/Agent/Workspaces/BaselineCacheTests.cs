using ReviewBot.Agent.Workspaces;
using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Workspaces;

/// <summary>The agent's cache of a linter's findings on a merge base (<c>filter: new</c>): keyed by what decides the
/// output, bounded in entries.</summary>
public sealed class BaselineCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static LinterSpec Linter(params string[] args) =>
        new("shellcheck", ["shellcheck"], args, new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1)) { Baseline = true };

    private static readonly Finding Old = new("a.sh", 2, 1, null, Severity.Warning, "SC2164", "Use 'cd ... || exit'") { LineText = "cd /tmp" };

    [Fact]
    public void AWrittenEntry_IsReadBackWithItsLineText_OnlyForTheSameCommandAndFiles()
    {
        var cache = new BaselineCache(_dir.Combine("baselines"));
        var entry = cache.PathOf(new string('a', 40), Linter("-f", "gcc", "{files}"), ["a.sh"]);
        cache.Write(entry, [Old]);

        Assert.Equal("cd /tmp", Assert.Single(cache.TryRead(entry)!).LineText);
        Assert.Null(cache.TryRead(cache.PathOf(new string('a', 40), Linter("-f", "gcc", "-S", "error", "{files}"), ["a.sh"])));
        Assert.Null(cache.TryRead(cache.PathOf(new string('a', 40), Linter("-f", "gcc", "{files}"), ["a.sh", "b.sh"])));
        Assert.Null(cache.TryRead(cache.PathOf(new string('b', 40), Linter("-f", "gcc", "{files}"), ["a.sh"])));
    }

    [Fact]
    public void TheCacheKeepsAtMostItsBound_DroppingTheLeastRecentlyUsed()
    {
        var cache = new BaselineCache(_dir.Combine("baselines"));
        var first = cache.PathOf(new string('0', 40), Linter(), ["a.sh"]);
        cache.Write(first, [Old]);
        File.SetLastWriteTimeUtc(first, DateTime.UtcNow.AddDays(-1));
        for (var i = 1; i <= BaselineCache.MaxEntries; i++)
            cache.Write(cache.PathOf(i.ToString("x40", System.Globalization.CultureInfo.InvariantCulture), Linter(), ["a.sh"]), []);

        Assert.Equal(BaselineCache.MaxEntries, cache.Count);
        Assert.Null(cache.TryRead(first));
    }
}
