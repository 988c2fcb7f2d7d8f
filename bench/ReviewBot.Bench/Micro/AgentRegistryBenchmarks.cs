using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Placement;
using ReviewBot.Functions.Agents;

namespace ReviewBot.Bench.Micro;

/// <summary>The snapshot of candidates the dispatch loop takes for every placement, with 1,000 and 10,000 registered agents.</summary>
[MemoryDiagnoser, ShortRunJob]
public class AgentRegistryBenchmarks
{
    private AgentRegistry _registry = null!;

    [Params(1000, 10000)]
    public int Agents { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _registry = new AgentRegistry(Options.Create(new AgentsOptions()), TimeProvider.System);
        for (var i = 0; i < Agents; i++)
            _registry.Register(new AgentRegistration($"node-{i:D5}", $"agent-{i:D5}", ["linux", "go"], 4, false, "bench", "linux", "x64", AgentProtocol.Version, []), $"conn-{i}");
    }

    [Benchmark]
    public IReadOnlyList<AgentCandidate> Candidates() => _registry.Candidates();
}
