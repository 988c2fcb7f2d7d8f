using ReviewBot.Core.Review.Diffs;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Core.Review.Diffs;

/// <summary>The captured diffs of TestData/diffs (see its README), parsed once.</summary>
internal static class DiffData
{
    public static string Text(string name) => File.ReadAllText(RepoPaths.TestData("diffs", name));

    public static IReadOnlyList<FileDiff> Feature { get; } = UnifiedDiff.Parse(Text("feature.diff"));

    public static IReadOnlyList<FileDiff> FeatureU0 { get; } = UnifiedDiff.Parse(Text("feature-u0.diff"));

    public static FileDiff Named(this IReadOnlyList<FileDiff> files, string newPath) => Assert.Single(files, f => f.NewPath == newPath);
}
