using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Bench.Scenarios;

/// <summary>
/// A synthetic pull request for the report-writes scenario: one added file, <c>src/bench.go</c>, whose line k reads
/// <c>v{k} := compute({k})</c>, and n findings on lines 1…n, each with its own message. <see cref="SecondPush"/> is the
/// next head: five lines inserted at the top, the findings with an even index fixed (their line's text changes), the
/// others moved down by five lines with their text unchanged, so their fingerprints are unchanged.
/// </summary>
public sealed record ReportWritesPullRequest(string HeadSha, string Diff, IReadOnlyList<Finding> Findings)
{
    public const string File = "src/bench.go";
    public const int Inserted = 5;

    /// <summary>Lines beyond the last finding, so findings are not all at the end of the file.</summary>
    private const int Tail = 10;

    public static string BaseSha { get; } = Sha("base");

    public static ReportWritesPullRequest First(int n) =>
        new(Sha($"head-{n}-1"), NewFileDiff([.. Enumerable.Range(1, n + Tail).Select(Original)]), [.. Enumerable.Range(1, n).Select(k => Finding(k, k))]);

    /// <summary>Findings fixed by the second push: those with an even index (0-based), ⌈n/2⌉ of them.</summary>
    public static bool IsFixed(int k) => (k - 1) % 2 == 0;

    public static ReportWritesPullRequest SecondPush(int n)
    {
        var lines = Enumerable.Range(1, Inserted).Select(i => $"// inserted by the second push, line {i}")
            .Concat(Enumerable.Range(1, n + Tail).Select(k => k <= n && IsFixed(k) ? $"_ = compute({k}) // fixed" : Original(k)))
            .ToList();
        var kept = Enumerable.Range(1, n).Where(k => !IsFixed(k)).Select(k => Finding(k, k + Inserted)).ToList();
        return new(Sha($"head-{n}-2"), NewFileDiff(lines), kept);
    }

    private static string Original(int k) => string.Create(CultureInfo.InvariantCulture, $"v{k} := compute({k})");

    /// <summary>Finding number <paramref name="k"/> (its message) on line <paramref name="line"/>.</summary>
    private static Finding Finding(int k, int line) =>
        new(File, line, 1, null, Severity.Warning, "BENCH001", string.Create(CultureInfo.InvariantCulture, $"variable v{k} is assigned but never used"));

    /// <summary><c>git diff base...head</c> of one added file.</summary>
    private static string NewFileDiff(IReadOnlyList<string> lines)
    {
        var diff = new StringBuilder();
        diff.Append(CultureInfo.InvariantCulture, $"diff --git a/{File} b/{File}\n");
        diff.Append("new file mode 100644\n");
        diff.Append("index 0000000..1a2b3c4\n");
        diff.Append("--- /dev/null\n");
        diff.Append(CultureInfo.InvariantCulture, $"+++ b/{File}\n");
        diff.Append(CultureInfo.InvariantCulture, $"@@ -0,0 +1,{lines.Count} @@\n");
        foreach (var line in lines) diff.Append('+').Append(line).Append('\n');
        return diff.ToString();
    }

    private static string Sha(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..40];
}
