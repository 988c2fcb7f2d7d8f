using BenchmarkDotNet.Attributes;
using ReviewBot.Core.Labels;
using ReviewBot.Core.Placement;

namespace ReviewBot.Bench.Micro;

/// <summary>
/// One placement decision over 1,000 candidates (what the dispatch loop does per queued task per wake):
/// 70 % linux/go, 20 % windows/msvc, 10 % linux/gpu; a third busy, some with a warm clone of the repository.
/// </summary>
[MemoryDiagnoser, ShortRunJob]
public class AgentSelectorBenchmarks
{
    private List<AgentCandidate> _agents = null!;
    private PlacementRequest _request = null!;

    /// <summary>"" = no filter (prefer unlabelled, else any non-exclusive); "gpu &amp;&amp; linux" matches 10 %.</summary>
    [Params("linux", "", "gpu && linux", "os: containsAny {darwin}")]
    public string Filter { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var now = DateTimeOffset.UtcNow;
        var none = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var warm = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "octo/repo" };
        _agents = [.. Enumerable.Range(0, 1000).Select(i =>
        {
            IReadOnlyList<string> labels = (i % 10) switch
            {
                < 7 => ["linux", "go", "os:linux"],
                < 9 => ["windows", "msvc", "os:windows"],
                _ => ["linux", "gpu", "os:linux"],
            };
            return new AgentCandidate($"node-{i:D4}", $"agent-{i:D4}", labels, Exclusive: false, Capacity: 4, Running: i % 3 == 0 ? 4 : i % 4,
                AgentState.Online, i % 17 == 0 ? warm : none, i % 5 == 0 ? null : now.AddSeconds(-i));
        })];
        _request = new PlacementRequest(LabelFilter.Parse(Filter), "octo/repo", new HashSet<string>(StringComparer.Ordinal) { "node-0001" });
    }

    [Benchmark]
    public PlacementDecision Rank1000() => AgentSelector.Rank(_request, _agents);
}
