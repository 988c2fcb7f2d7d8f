using ReviewBot.Functions.CodeHosts.GitHub.Trust;
using ReviewBot.Functions.CodeHosts.GitLab.Trust;
using System.Text.RegularExpressions;

namespace ReviewBot.Functions.Trust;

/// <summary>
/// Whether a comment gives the approval command. As Prow's trigger plugin (<c>(?m)^/ok-to-test\s*$</c>): the command
/// alone on a line, case as configured. Text inside fenced code blocks and block quotes does not count, so quoting
/// someone's <c>/ok-to-test</c> in a reply, or showing it in an example, approves nothing.
/// </summary>
public static partial class OkToTestCommand
{
    public static bool Matches(string? comment, string command)
    {
        if (string.IsNullOrEmpty(comment)) return false;
        var inFence = false;
        foreach (var raw in comment.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (Fence().IsMatch(line)) { inFence = !inFence; continue; }
            if (inFence || line.TrimStart().StartsWith('>')) continue;
            if (line.StartsWith(command, StringComparison.Ordinal) && line[command.Length..].Trim().Length == 0) return true;
        }
        return false;
    }

    [GeneratedRegex(@"^ {0,3}(```|~~~)", RegexOptions.CultureInvariant)]
    private static partial Regex Fence();
}
