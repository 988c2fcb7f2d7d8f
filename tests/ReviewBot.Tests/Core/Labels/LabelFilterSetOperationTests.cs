using ReviewBot.Core.Labels;

namespace ReviewBot.Tests.Core.Labels;

/// <summary>Set operations over the values of "key:value" labels, as Ginkgo defines them.</summary>
public sealed class LabelFilterSetOperationTests
{
    private static bool Matches(string filter, params string[] labels) => LabelFilter.Parse(filter).Matches(labels);

    [Fact]
    public void ContainsAny_WhenSomeValueIsInTheSet()
    {
        Assert.True(Matches("os: containsAny {linux,darwin}", "os:darwin", "os:windows"));
        Assert.False(Matches("os: containsAny {linux,darwin}", "os:windows"));
    }

    [Fact]
    public void ContainsAny_IgnoresPlainLabelsThatEqualAValue()
        => Assert.False(Matches("os: containsAny {linux}", "linux"));

    [Fact]
    public void ContainsAny_FailsWhenTheKeyIsAbsent()
        => Assert.False(Matches("os: containsAny {linux}"));

    [Fact]
    public void ContainsAll_WhenEveryValueIsPresent()
    {
        Assert.True(Matches("go: containsAll {1.21, 1.22}", "go:1.21", "go:1.22", "go:1.23"));
        Assert.False(Matches("go: containsAll {1.21, 1.22}", "go:1.21"));
    }

    [Fact]
    public void ConsistsOf_WhenTheValuesAreExactlyTheSet()
    {
        Assert.True(Matches("os: consistsOf {linux, darwin}", "os:darwin", "os:linux"));
        Assert.False(Matches("os: consistsOf {linux}", "os:linux", "os:darwin"));
        Assert.False(Matches("os: consistsOf {linux, darwin}", "os:linux"));
    }

    [Fact]
    public void ConsistsOf_RepeatedValues_CountOnce()
        => Assert.True(Matches("os: consistsOf {linux, Linux}", "os:linux"));

    [Fact]
    public void ConsistsOf_RepeatedAgentLabels_CountOnce()
        => Assert.True(Matches("os: consistsOf {linux}", "os:linux", "OS:LINUX"));

    [Fact]
    public void IsSubsetOf_WhenEveryValueIsAllowed()
    {
        Assert.True(Matches("arch: isSubsetOf {amd64, arm64}", "arch:arm64"));
        Assert.False(Matches("arch: isSubsetOf {amd64, arm64}", "arch:amd64", "arch:riscv64"));
    }

    [Fact]
    public void IsSubsetOf_HoldsWhenTheKeyIsAbsent()
        => Assert.True(Matches("arch: isSubsetOf {amd64}", "linux"));

    [Fact]
    public void IsEmpty_WhenNoLabelHasTheKey()
    {
        Assert.True(Matches("gpu: isEmpty", "linux", "gpu"));
        Assert.False(Matches("gpu: isEmpty", "gpu:a100"));
    }

    [Fact]
    public void IsEmpty_AcceptsEmptyBraces()
        => Assert.True(Matches("gpu: isEmpty {}", "linux"));

    [Fact]
    public void SetOperation_BindsTighterThanNot()
        => Assert.True(Matches("!gpu: isEmpty", "gpu:a100"));

    [Fact]
    public void SetOperation_CombinesWithOtherOperators()
    {
        const string filter = "os: containsAny {linux} && (gpu: containsAny {a100}, !gpu: isEmpty) && go";
        Assert.True(Matches(filter, "os:linux", "gpu:h100", "go"));
        Assert.False(Matches(filter, "os:linux", "go"));
    }

    [Fact]
    public void SetOperation_KeysValuesAndOperationNamesIgnoreCase()
        => Assert.True(Matches("OS: CONTAINSANY {LINUX}", "os:linux"));

    [Fact]
    public void SetOperation_TrimsAgentKeysAndValues()
        => Assert.True(Matches("os: containsAny {linux}", " Os : Linux "));

    [Fact]
    public void SetOperation_AcceptsOneValueWithoutBraces()
        => Assert.True(Matches("os: containsAny linux && go", "os:linux", "go"));

    [Fact]
    public void SetOperation_ValuesMayContainSpacesAndColons()
    {
        Assert.True(Matches("toolchain: containsAny {go 1.22}", "toolchain:go 1.22"));
        Assert.True(Matches("image: containsAny {ubuntu:24.04}", "image:ubuntu:24.04"));
    }

    [Fact]
    public void SetOperation_KeyMayBeFollowedByAnyWhitespace()
        => Assert.True(Matches("os:\tcontainsAny {linux}", "os:linux"));
}
