using System.Diagnostics;
using System.Globalization;
using ReviewBot.Bench.Harness;
using ReviewBot.Functions.CodeHosts.GitHub.Reporting;

namespace ReviewBot.Bench.Scenarios;

/// <param name="Sizes">Findings per run (n) of the first group.</param>
/// <param name="MaxComments">ReportInput.MaxComments for the first group: large enough that every finding is commented.</param>
/// <param name="OverflowSize">One extra row with the product's default comment cap; 0 for none.</param>
/// <param name="PacedSize">One extra row with the product's default write spacing (1 s); 0 for none.</param>
/// <param name="PushSizes">n of the "second push" rows (each follows a first run of the same n on the same fake).</param>
public sealed record ReportWritesOptions(IReadOnlyList<int> Sizes, int MaxComments, int OverflowSize, int PacedSize, IReadOnlyList<int> PushSizes)
{
    /// <summary>Seconds, to prove the scenario still runs (`--smoke`, the tests): one row with two reviews, one second push.</summary>
    public static ReportWritesOptions Smoke() => new([31], 3000, 0, 0, [10]);
}

/// <summary>
/// GitHub write requests (POST/PATCH/PUT/DELETE) ReviewBot makes to report one linter run with n findings on a pull
/// request: the product's GitHubReporter, driven stage by stage (queued, in progress, completed) like ReportQueue,
/// against the tests' fake GitHub, which validates like GitHub (reviews all-or-nothing, ≤ 50 annotations per
/// check-run request, content-creation secondary limit) and records every request.
/// Target: writes ≤ ⌈n/30⌉ + ⌈n/50⌉ + 3 (one review per 30 comments, one check-run request per 50 annotations, create
/// + in progress + slack); qiniu/reviewbot posts one request per comment (n + 1 or more).
/// </summary>
public static class ReportWritesScenario
{
    public const int DefaultMaxComments = 300;

    public static async Task<int> RunAsync(ReportWritesOptions o, CancellationToken ct)
    {
        Report.Header("report-writes", "GitHub write requests to report one linter run with n findings on a pull request (fake GitHub, GitHub App)");
        var failures = new List<string>();

        var rows = new List<string>();
        foreach (var n in o.Sizes)
            rows.Add(await FirstRunRowAsync($"{n}", n, o.MaxComments, TimeSpan.Zero, failures, ct));
        if (o.OverflowSize > 0)
            rows.Add(await FirstRunRowAsync($"{o.OverflowSize}, max comments {DefaultMaxComments} (default)", o.OverflowSize, DefaultMaxComments, TimeSpan.Zero, failures, ct));
        if (o.PacedSize > 0)
            rows.Add(await FirstRunRowAsync($"{o.PacedSize}, write spacing 1 s (default)", o.PacedSize, o.MaxComments, null, failures, ct));

        BenchOutput.Out.WriteLine();
        BenchOutput.Out.WriteLine($"First run (queued → in progress → completed), write spacing 0 unless stated, max comments {o.MaxComments} unless stated:");
        BenchOutput.Out.WriteLine();
        BenchOutput.Out.WriteLine("| n | writes | budget ⌈n/30⌉+⌈n/50⌉+3 | review requests | max comments/review | check-run requests (create + updates) | max annotations/request | all annotated | all commented | secondary hits | ms |");
        BenchOutput.Out.WriteLine("|---|---:|---:|---:|---:|---|---:|---|---|---:|---:|");
        foreach (var row in rows) BenchOutput.Out.WriteLine(row);

        if (o.PushSizes.Count > 0)
        {
            var pushRows = new List<string>();
            foreach (var n in o.PushSizes) pushRows.Add(await SecondPushRowAsync(n, o.MaxComments, failures, ct));
            BenchOutput.Out.WriteLine();
            BenchOutput.Out.WriteLine($"Second push (completed stage of a new task on a new head: ⌈n/2⌉ findings fixed, ⌊n/2⌋ moved down {ReportWritesPullRequest.Inserted} lines), after a first run of the same n; write spacing 0:");
            BenchOutput.Out.WriteLine();
            BenchOutput.Out.WriteLine("| n | fixed / kept | writes | expected (deletes + 1 + max(1, ⌈kept/50⌉)) | deletes | new review requests | check-run requests (create + updates) | max annotations/request | comments left = kept, none duplicated | new run annotated | secondary hits | ms |");
            BenchOutput.Out.WriteLine("|---|---|---:|---:|---:|---:|---|---:|---|---|---:|---:|");
            foreach (var row in pushRows) BenchOutput.Out.WriteLine(row);
        }

        BenchOutput.Out.WriteLine();
        BenchOutput.Out.WriteLine("Not counted above: one POST /app/installations/1/access_tokens per row (a token lasts an hour and is shared by every report of the installation).");
        if (failures.Count == 0)
        {
            BenchOutput.Out.WriteLine("TARGET writes ≤ ⌈n/30⌉ + ⌈n/50⌉ + 3, ≤ 30 comments per review, ≤ 50 annotations per request, every finding annotated and commented, 0 secondary-limit hits: MET");
            return 0;
        }
        BenchOutput.Out.WriteLine("NOT MET:");
        foreach (var f in failures) BenchOutput.Out.WriteLine($"  - {f}");
        return 1;
    }

    private static int Ceil(int a, int b) => (a + b - 1) / b;

    public static int Budget(int n, int commented) => Ceil(commented, 30) + Ceil(n, 50) + 3;

    private static async Task<string> FirstRunRowAsync(string label, int n, int maxComments, TimeSpan? spacing, List<string> failures, CancellationToken ct)
    {
        await using var h = await ReportWritesHarness.StartAsync(spacing);
        var (w, ms, annotated, commented) = await FirstRunAsync(h, n, maxComments, ct);
        var expectComments = Math.Min(n, maxComments);
        var budget = Budget(n, expectComments);
        Check(failures, $"n={label}", w, budget, annotated, commented);
        return Row(label, w, budget, annotated, commented, ms);
    }

    /// <summary>The first run of n findings on a fresh pull request: every stage of one task.</summary>
    private static async Task<(Window Window, long Ms, string Annotated, string Commented)> FirstRunAsync(ReportWritesHarness h, int n, int maxComments, CancellationToken ct)
    {
        var head = ReportWritesPullRequest.First(n);
        h.Seed(head);
        var mark = h.Now();
        var clock = Stopwatch.StartNew();
        await h.PublishAllStagesAsync(ReportWritesHarness.NewTask(head.HeadSha), head, maxComments, ct);
        var ms = clock.ElapsedMilliseconds;
        var w = h.Since(mark);
        var annotated = Annotated(h, head);

        var comments = h.GitHub.Comments(ReportWritesHarness.Owner, ReportWritesHarness.Name, ReportWritesHarness.Number);
        var wanted = head.Findings.Select(f => f.Line).ToHashSet();
        var lines = comments.Select(c => c.Line ?? -1).ToList();
        var expect = Math.Min(n, maxComments);
        var ok = lines.Count == expect && lines.Distinct().Count() == lines.Count && lines.All(wanted.Contains);
        string commented;
        if (expect == n) commented = ok ? "yes" : $"NO ({lines.Count} comments, {lines.Distinct().Count()} distinct lines, of {n})";
        else
        {
            var overflowListed = w.NewReviews.FirstOrDefault()?.Body.Contains($"{n - expect} more not posted as comments", StringComparison.Ordinal) == true;
            commented = ok && overflowListed
                ? $"{expect} of {n}, the other {n - expect} listed in the first review's body"
                : $"NO ({lines.Count} comments of {expect}, overflow listed: {overflowListed})";
        }
        return (w, ms, annotated, commented);
    }

    /// <summary>"yes" when the head has exactly one check run and its annotations are exactly the findings.</summary>
    private static string Annotated(ReportWritesHarness h, ReportWritesPullRequest head)
    {
        var runs = h.GitHub.CheckRuns(ReportWritesHarness.Owner, ReportWritesHarness.Name).Where(r => r.HeadSha == head.HeadSha).ToList();
        if (runs.Count != 1) return $"NO ({runs.Count} check runs on the head)";
        var got = runs[0].Annotations.Select(a => (a.Path, a.StartLine, a.Message)).ToList();
        var want = head.Findings.Select(f => (f.File, f.Line, f.Message)).ToHashSet();
        return got.Count == want.Count && got.ToHashSet().SetEquals(want) ? "yes" : $"NO ({got.Count} annotations, {got.Distinct().Count()} distinct, of {want.Count})";
    }

    private static void Check(List<string> failures, string row, Window w, int budget, string annotated, string commented)
    {
        if (w.Writes > budget) failures.Add($"{row}: {w.Writes} writes > budget {budget}");
        if (w.MaxCommentsPerReview > ReviewPublisher.CommentsPerReview) failures.Add($"{row}: a review with {w.MaxCommentsPerReview} comments");
        if (w.MaxAnnotationsPerRequest > CheckRunPublisher.AnnotationsPerRequest) failures.Add($"{row}: a check-run request with {w.MaxAnnotationsPerRequest} annotations");
        if (w.ReviewRequests != w.NewReviews.Count) failures.Add($"{row}: {w.ReviewRequests} review requests for {w.NewReviews.Count} reviews stored");
        if (annotated != "yes") failures.Add($"{row}: annotations {annotated}");
        if (commented.StartsWith("NO", StringComparison.Ordinal)) failures.Add($"{row}: comments {commented}");
        if (w.SecondaryHits > 0) failures.Add($"{row}: {w.SecondaryHits} secondary-limit hits");
    }

    private static string Row(string label, Window w, int budget, string annotated, string commented, long ms) => string.Create(CultureInfo.InvariantCulture,
        $"| {label} | {w.Writes} | {budget} | {w.ReviewRequests} | {w.MaxCommentsPerReview} | {w.CheckCreates} + {w.CheckUpdates} | {w.MaxAnnotationsPerRequest} | {annotated} | {commented} | {w.SecondaryHits} | {ms} |");

    private static async Task<string> SecondPushRowAsync(int n, int maxComments, List<string> failures, CancellationToken ct)
    {
        await using var h = await ReportWritesHarness.StartAsync(TimeSpan.Zero);
        var (first, _, firstAnnotated, firstCommented) = await FirstRunAsync(h, n, maxComments, ct);
        Check(failures, $"second push n={n}, first run", first, Budget(n, Math.Min(n, maxComments)), firstAnnotated, firstCommented);

        var head = ReportWritesPullRequest.SecondPush(n);
        h.Seed(head);
        var mark = h.Now();
        var clock = Stopwatch.StartNew();
        await h.PublishCompletedAsync(ReportWritesHarness.NewTask(head.HeadSha), head, maxComments, ct);
        var ms = clock.ElapsedMilliseconds;
        var w = h.Since(mark);

        var kept = head.Findings.Count;
        var fixedCount = n - kept;
        var expected = fixedCount + 1 + Math.Max(1, Ceil(kept, 50));
        var comments = h.GitHub.Comments(ReportWritesHarness.Owner, ReportWritesHarness.Name, ReportWritesHarness.Number);
        var keptMessages = head.Findings.Select(f => f.Message).ToList();
        var leftOk = comments.Count == kept
            && keptMessages.All(m => comments.Count(c => c.Body.Contains($": {m}\n", StringComparison.Ordinal)) == 1); // CommentBody.Render: "…: message\n\n<marker>"
        var left = leftOk ? "yes" : $"NO ({comments.Count} comments left for {kept} kept findings)";
        var annotated = Annotated(h, head);

        var row = $"second push n={n}";
        if (w.Writes != expected) failures.Add($"{row}: {w.Writes} writes, expected {expected}");
        if (w.Deletes != fixedCount) failures.Add($"{row}: {w.Deletes} deletes for {fixedCount} fixed findings");
        if (w.ReviewRequests != 0) failures.Add($"{row}: {w.ReviewRequests} new review requests (expected 0)");
        if (w.MaxAnnotationsPerRequest > CheckRunPublisher.AnnotationsPerRequest) failures.Add($"{row}: a check-run request with {w.MaxAnnotationsPerRequest} annotations");
        if (!leftOk) failures.Add($"{row}: comments {left}");
        if (annotated != "yes") failures.Add($"{row}: annotations {annotated}");
        if (w.SecondaryHits > 0) failures.Add($"{row}: {w.SecondaryHits} secondary-limit hits");
        return string.Create(CultureInfo.InvariantCulture,
            $"| {n} | {fixedCount} / {kept} | {w.Writes} | {expected} | {w.Deletes} | {w.ReviewRequests} | {w.CheckCreates} + {w.CheckUpdates} | {w.MaxAnnotationsPerRequest} | {left} | {annotated} | {w.SecondaryHits} | {ms} |");
    }
}
