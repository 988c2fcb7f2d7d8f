using System.Globalization;
using System.Text;
using Octokit;
using ReviewBot.Core.Review;
using ReviewBot.Functions.CodeHosts.GitHub.Reporting;

namespace ReviewBot.Functions.CodeHosts.GitHub.Fixes;

/// <summary>What committing fixes did: the new commit (null when nothing could be applied) and the fixes left out.</summary>
public sealed record FixCommitOutcome(string? Sha, int Applied, IReadOnlyList<string> Skipped, IReadOnlyList<string> Rules);

/// <summary>
/// Commits fixes on top of a branch head through the Git Data API, as one commit: the head commit's tree is read
/// (recursively), each file with fixes is read as a blob, changed by <see cref="FixApplier"/> and written as a new blob
/// (its mode kept: an executable script stays executable); one tree on <c>base_tree</c>, one commit whose only parent is
/// the head, then the branch ref is moved with <c>force: false</c>, so GitHub itself refuses (422) when the branch
/// moved meanwhile. The commit's author is whoever the credentials are (the App's bot).
/// </summary>
public static class FixCommit
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<FixCommitOutcome> CommitAsync(IGitHubClient client, RepoName repo, string branch, string headSha, string linter,
        IReadOnlyList<(string File, FileFix Fix)> fixes, string requestedBy)
    {
        var git = client.Git;
        var head = await git.Commit.Get(repo.Owner, repo.Name, headSha);
        var tree = await git.Tree.GetRecursive(repo.Owner, repo.Name, head.Tree.Sha);
        var items = tree.Tree.Where(i => i.Type.Value == TreeType.Blob).ToDictionary(i => i.Path, StringComparer.Ordinal);
        var newItems = new List<NewTreeItem>();
        var skipped = new List<string>();
        var applied = new List<FileFix>();
        foreach (var file in fixes.GroupBy(f => f.File, StringComparer.Ordinal))
        {
            if (!items.TryGetValue(file.Key, out var item))
            {
                skipped.AddRange(file.Select(f => $"`{file.Key}` line {f.Fix.Fix.StartLine}: the file is not in the head commit"));
                continue;
            }
            var blob = await git.Blob.Get(repo.Owner, repo.Name, item.Sha);
            string text;
            try
            {
                var bytes = blob.Encoding.Value == EncodingType.Base64 ? Convert.FromBase64String(blob.Content) : Encoding.UTF8.GetBytes(blob.Content);
                text = StrictUtf8.GetString(bytes);
            }
            catch (Exception e) when (e is FormatException or DecoderFallbackException)
            {
                skipped.AddRange(file.Select(f => $"`{file.Key}` line {f.Fix.Fix.StartLine}: the file is not UTF-8 text"));
                continue;
            }
            var result = FixApplier.Apply(text, file.Select(f => f.Fix));
            skipped.AddRange(result.Skipped.Select(s => string.Create(CultureInfo.InvariantCulture,
                $"`{file.Key}` lines {s.Fix.Fix.StartLine}–{s.Fix.Fix.EndLine}{RuleText(s.Fix.Rule)}: {(s.Why == FixSkip.Overlaps ? "overlaps a fix applied before it" : "lies outside the file")}")));
            if (result.Applied.Count == 0 || result.Text == text) continue;
            applied.AddRange(result.Applied);
            var created = await git.Blob.Create(repo.Owner, repo.Name, new NewBlob { Content = Convert.ToBase64String(Encoding.UTF8.GetBytes(result.Text)), Encoding = EncodingType.Base64 });
            newItems.Add(new NewTreeItem { Path = file.Key, Mode = item.Mode, Type = TreeType.Blob, Sha = created.Sha });
        }
        var rules = applied.GroupBy(f => f.Rule ?? "(no rule)", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} ×{g.Count()}")).ToList();
        if (newItems.Count == 0) return new FixCommitOutcome(null, 0, skipped, rules);

        var newTree = new NewTree { BaseTree = head.Tree.Sha };
        foreach (var i in newItems) newTree.Tree.Add(i);
        var treeCreated = await git.Tree.Create(repo.Owner, repo.Name, newTree);
        var commit = await git.Commit.Create(repo.Owner, repo.Name, new NewCommit(Message(linter, applied.Count, rules, requestedBy), treeCreated.Sha, headSha));
        await git.Reference.Update(repo.Owner, repo.Name, $"heads/{branch}", new ReferenceUpdate(commit.Sha, force: false));
        return new FixCommitOutcome(commit.Sha, applied.Count, skipped, rules);
    }

    /// <summary>"Apply 2 shfmt fixes" and the rules fixed, one per line, with who asked.</summary>
    public static string Message(string linter, int count, IReadOnlyList<string> rules, string requestedBy)
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"Apply {count} {linter} fix{(count == 1 ? "" : "es")}\n\nRules fixed:\n"));
        foreach (var r in rules) text.Append("- ").Append(r).Append('\n');
        text.Append("\nRequested by @").Append(requestedBy).Append(" through ReviewBot's \"Apply fixes\".\n");
        return text.ToString();
    }

    private static string RuleText(string? rule) => rule is null ? "" : $" ({rule})";
}
