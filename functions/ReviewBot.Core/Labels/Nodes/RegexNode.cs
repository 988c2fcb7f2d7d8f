using System.Text.RegularExpressions;

namespace ReviewBot.Core.Labels.Nodes;

/// <summary>
/// "/pattern/": true when some label matches, case-sensitive and unanchored (Ginkgo uses Go's RE2).
/// NonBacktracking gives RE2's linear-time guarantee and rejects what RE2 lacks (backreferences, lookaround);
/// the timeout is a second fence. A timed-out match counts as no match.
/// </summary>
internal sealed class RegexNode : FilterNode
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex _regex;

    private RegexNode(Regex regex) => _regex = regex;

    public static RegexNode Create(Token token)
    {
        try
        {
            return new RegexNode(new Regex(token.Text, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout));
        }
        catch (ArgumentException ex)
        {
            throw new LabelFilterSyntaxException($"invalid regex '/{token.Text}/': {ex.Message}", token.Position);
        }
        catch (NotSupportedException)
        {
            throw new LabelFilterSyntaxException(
                $"invalid regex '/{token.Text}/': backreferences, lookaround and atomic groups are not supported (RE2 syntax, as in Ginkgo)",
                token.Position);
        }
    }

    public override bool Matches(IReadOnlyList<string> labels)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            try
            {
                if (_regex.IsMatch(labels[i]))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // Treated as no match: a filter must never make placement throw.
            }
        }
        return false;
    }

    public override void CollectMentioned(ISet<string> mentioned)
    {
        // A regex names no label exactly, so it contributes nothing to best-fit.
    }
}
