using ReviewBot.Functions.Hosting.Diagnostics;

namespace ReviewBot.Tests.Hosting.Diagnostics;

public class TagCapTests
{
    [Fact]
    public void TheFirstValuesSeenKeepTheirName_LaterOnesAreOther()
    {
        var cap = new TagCap(2);

        Assert.Equal("octo/a", cap.Of("octo/a"));
        Assert.Equal("octo/b", cap.Of("octo/b"));
        Assert.Equal(TagCap.Other, cap.Of("octo/c"));
        Assert.Equal("octo/a", cap.Of("octo/a"));
        Assert.Equal(TagCap.Other, cap.Of("octo/d"));
    }

    [Fact]
    public void AnEmptyValueIsNone_AndTakesNoPlace()
    {
        var cap = new TagCap(1);

        Assert.Equal(TagCap.None, cap.Of(null));
        Assert.Equal(TagCap.None, cap.Of(""));
        Assert.Equal("octo/a", cap.Of("octo/a"));
    }

    [Fact]
    public async Task ManyThreadsNamingManyValues_NeverGetMoreThanTheCapDistinctNames()
    {
        var cap = new TagCap(10);
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++) seen.Add(cap.Of($"repo-{(i * 7 + t) % 100}"));
        })));

        var distinct = seen.Distinct().ToList();
        Assert.Equal(11, distinct.Count); // 10 names and "other"
        Assert.Contains(TagCap.Other, distinct);
    }
}
