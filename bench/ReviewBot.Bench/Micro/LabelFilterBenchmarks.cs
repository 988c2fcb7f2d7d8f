using BenchmarkDotNet.Attributes;
using ReviewBot.Core.Labels;

namespace ReviewBot.Bench.Micro;

/// <summary>Parsing a filter (once per task enqueue) and matching it (once per candidate per placement).</summary>
[MemoryDiagnoser, ShortRunJob]
public class LabelFilterBenchmarks
{
    private const string ComplexText = "(linux || darwin) && !gpu && os: containsAny {linux,darwin} && /^go-1\\.2[0-9]$/";
    private static readonly string[] Labels = ["linux", "go-1.22", "os:linux", "arch:x64", "docker"];
    private LabelFilter _plain = null!, _complex = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plain = LabelFilter.Parse("linux");
        _complex = LabelFilter.Parse(ComplexText);
    }

    [Benchmark]
    public LabelFilter ParsePlain() => LabelFilter.Parse("linux");

    /// <summary>With a /regex/: the regex is built here (NonBacktracking), which dominates.</summary>
    [Benchmark]
    public LabelFilter ParseComplex() => LabelFilter.Parse(ComplexText);

    [Benchmark]
    public bool MatchPlain() => _plain.Matches(Labels);

    [Benchmark]
    public bool MatchComplex() => _complex.Matches(Labels);
}
