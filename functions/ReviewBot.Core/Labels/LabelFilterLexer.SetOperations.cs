namespace ReviewBot.Core.Labels;

/// <summary>Lexes "key: operation argument" into one <see cref="TokenKind.Set"/> token (Ginkgo's set-key,
/// set-operation and set-argument tokens, which only ever appear together).</summary>
internal sealed partial class LabelFilterLexer
{
    // Characters a set value may not contain (Ginkgo: "&|!,()/"; the comma separates values; braces delimit the set).
    private static readonly char[] ValueStops = ['&', '|', '!', ',', '(', ')', '/'];
    private const string ForbiddenInValue = "&|!()/{}";

    private Token SetOperationToken(int keyStart, string key)
    {
        SkipWhitespace();
        int nameStart = _next;
        while (_next < text.Length && !char.IsWhiteSpace(text[_next]) && text[_next] != '{' && Array.IndexOf(ValueStops, text[_next]) < 0)
        {
            _next++;
        }
        var written = text.AsSpan(nameStart, _next - nameStart);
        if (written.IsEmpty)
        {
            throw Error(nameStart, $"missing set operation after '{key}:'");
        }
        if (!SetOperations.TryFind(written, out var name, out var operation))
        {
            throw Error(nameStart, $"unknown set operation '{written}' (expected {SetOperations.Expected})");
        }

        SkipWhitespace();
        var values = _next < text.Length && text[_next] == '{'
            ? BracedValues(name, operation)
            : BareValue(key, name, operation);
        return new Token(TokenKind.Set, keyStart, $"{key}: {name}", new SetSpec(key.ToLowerInvariant(), operation, values));
    }

    /// <summary>"{a, b}": values split on ',', trimmed, lower-cased, distinct. isEmpty accepts only "{}".</summary>
    private string[] BracedValues(string name, SetOperation operation)
    {
        int open = _next;
        int close = text.IndexOf('}', open + 1);
        if (close < 0)
        {
            throw Error(text.Length, $"missing closing '}}' for '{{' at {open}");
        }
        _next = close + 1;

        var inside = text.AsSpan(open + 1, close - open - 1);
        if (operation == SetOperation.IsEmpty)
        {
            return inside.IsWhiteSpace() ? [] : throw Error(open, $"isEmpty takes no values, got '{{{inside.Trim()}}}'");
        }
        if (inside.IsWhiteSpace())
        {
            throw Error(open, $"'{name}' needs at least one value inside '{{}}'");
        }

        var values = new List<string>();
        int valueStart = open + 1;
        for (int i = open + 1; i <= close; i++)
        {
            if (i < close && text[i] != ',')
            {
                continue;
            }
            values.Add(Value(valueStart, i));
            valueStart = i + 1;
        }
        return values.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Ginkgo also accepts one value without braces: "os: containsAny linux".</summary>
    private string[] BareValue(string key, string name, SetOperation operation)
    {
        int start = _next;
        int end = start;
        while (end < text.Length && Array.IndexOf(ValueStops, text[end]) < 0)
        {
            end++;
        }
        var raw = text.AsSpan(start, end - start).Trim();
        if (operation == SetOperation.IsEmpty)
        {
            return raw.IsEmpty ? [] : throw Error(start, $"isEmpty takes no values, got '{raw}'");
        }
        if (raw.IsEmpty)
        {
            throw start < text.Length && text[start] == '/'
                ? Error(start, "set operations do not support regular expressions")
                : Error(start, $"expected '{{' after '{name}', as in '{key}: {name} {{a,b}}'");
        }
        _next = end;
        return [Value(start, end)];
    }

    private string Value(int from, int to)
    {
        var raw = text.AsSpan(from, to - from);
        int leading = raw.Length - raw.TrimStart().Length;
        var value = raw.Trim();
        if (value.IsEmpty)
        {
            throw Error(from + leading, "empty value in set");
        }
        if (value.IndexOfAny(ForbiddenInValue) >= 0)
        {
            throw Error(from + leading, $"invalid value '{value}' in set: values cannot contain any of {ForbiddenInValue}");
        }
        return value.ToString().ToLowerInvariant();
    }
}
