using System.Text;

namespace ReviewBot.Core.Review.Diffs;

/// <summary>Paths as git prints them in diff headers: C-quoted when they hold special or non-ASCII bytes
/// (<c>"a/caf\303\251.txt"</c>), with an <c>a/</c> or <c>b/</c> prefix, and on <c>---</c>/<c>+++</c> lines with a
/// trailing tab when they contain a space.</summary>
internal static class GitPath
{
    /// <summary>A <c>---</c>/<c>+++</c> operand: null for <c>/dev/null</c>, else the path without its prefix.</summary>
    public static string? FromFileLine(string operand)
    {
        var text = operand.StartsWith('"') ? Unquote(operand, out _) : operand.TrimEnd('\t');
        return text == "/dev/null" ? null : StripPrefix(text);
    }

    /// <summary>The two paths of <c>diff --git a/x b/y</c>. Unquoted paths with spaces are ambiguous; the split
    /// that gives two equal paths wins (true for everything but renames, whose paths come from
    /// <c>rename from/to</c> lines anyway).</summary>
    public static (string Old, string New)? FromGitHeader(string rest)
    {
        if (rest.StartsWith('"'))
        {
            var first = Unquote(rest, out var used);
            var second = rest[used..].TrimStart();
            var other = second.StartsWith('"') ? Unquote(second, out _) : second;
            return (StripPrefix(first), StripPrefix(other));
        }
        var quoted = rest.IndexOf(" \"", StringComparison.Ordinal);
        if (quoted > 0) return (StripPrefix(rest[..quoted]), StripPrefix(Unquote(rest[(quoted + 1)..], out _)));

        (string, string)? fallback = null;
        for (var i = rest.IndexOf(' '); i > 0; i = rest.IndexOf(' ', i + 1))
        {
            var (a, b) = (StripPrefix(rest[..i]), StripPrefix(rest[(i + 1)..]));
            if (a == b) return (a, b);
            fallback ??= (a, b);
        }
        return fallback;
    }

    /// <summary>A path after <c>rename from </c> and the like: quoted or bare, never prefixed.</summary>
    public static string FromRenameLine(string operand) => operand.StartsWith('"') ? Unquote(operand, out _) : operand;

    private static string StripPrefix(string path) =>
        path.Length > 2 && path[1] == '/' && path[0] is 'a' or 'b' or 'i' or 'w' or 'c' or 'o' ? path[2..] : path;

    /// <summary>Decodes a C-quoted string starting at <paramref name="text"/>[0] == '"'; octal escapes are bytes
    /// of UTF-8. <paramref name="used"/> is the length consumed, closing quote included.</summary>
    public static string Unquote(string text, out int used)
    {
        var bytes = new List<byte>(text.Length);
        var i = 1;
        for (; i < text.Length && text[i] != '"'; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }
            var e = text[++i];
            if (e is >= '0' and <= '7')
            {
                var value = 0;
                for (var n = 0; n < 3 && i < text.Length && text[i] is >= '0' and <= '7'; n++, i++) value = value * 8 + (text[i] - '0');
                i--;
                bytes.Add((byte)value);
                continue;
            }
            bytes.Add(e switch
            {
                'a' => 7, 'b' => 8, 't' => 9, 'n' => 10, 'v' => 11, 'f' => 12, 'r' => 13,
                _ => (byte)e,
            });
        }
        used = Math.Min(i + 1, text.Length);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
