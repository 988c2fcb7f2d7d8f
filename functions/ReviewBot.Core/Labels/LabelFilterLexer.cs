namespace ReviewBot.Core.Labels;

/// <summary>
/// Splits filter text into tokens, following Ginkgo's tokenizer (types/label_filter.go):
/// a plain label runs until one of <c>&amp; | ! , ( ) /</c> (inner spaces are part of it), "key:" followed by
/// whitespace starts a set operation, and "key:value" without that space is a plain label.
/// Positions are 0-based indices into the untrimmed text. One lexer per text; not thread-safe.
/// </summary>
internal sealed partial class LabelFilterLexer(string text)
{
    // Characters that end a plain label. Ginkgo forbids the first seven in labels; braces belong to set arguments.
    private static readonly char[] LabelStops = ['&', '|', '!', ',', '(', ')', '/', '{', '}'];

    private int _next;

    public List<Token> Tokenize()
    {
        var tokens = new List<Token>();
        while (true)
        {
            SkipWhitespace();
            if (_next >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, text.Length, ""));
                return tokens;
            }
            tokens.Add(NextToken());
        }
    }

    private Token NextToken()
    {
        int start = _next;
        char c = text[start];
        switch (c)
        {
            case '&': return Doubled(TokenKind.And);
            case '|': return Doubled(TokenKind.Or);
            case '!': _next++; return new Token(TokenKind.Not, start, "!");
            case ',': _next++; return new Token(TokenKind.Or, start, ",");
            case '(': _next++; return new Token(TokenKind.Open, start, "(");
            case ')': _next++; return new Token(TokenKind.Close, start, ")");
            case '/': return Regex();
            case '{' or '}':
                throw Error(start, $"unexpected '{c}': a value set must follow a set operation, as in 'os: containsAny {{linux,darwin}}'");
            case ':': throw Error(start, "missing set key before ':'");
            default: return LabelOrSet();
        }
    }

    private Token Doubled(TokenKind kind)
    {
        int start = _next;
        char c = text[start];
        if (start + 1 >= text.Length || text[start + 1] != c)
        {
            throw Error(start, $"invalid token '{c}': did you mean '{c}{c}'?");
        }
        _next += 2;
        return new Token(kind, start, new string(c, 2));
    }

    private Token Regex()
    {
        int start = _next;
        int close = text.IndexOf('/', start + 1);
        if (close < 0)
        {
            throw Error(start, "missing closing '/' for regex");
        }
        _next = close + 1;
        if (close == start + 1)
        {
            throw Error(start, "empty regex");
        }
        return new Token(TokenKind.Regex, start, text[(start + 1)..close]);
    }

    private Token LabelOrSet()
    {
        int start = _next;
        int colon = IndexOfAnyOrEnd(LabelStops, start, alsoStopAt: ':');
        if (colon < text.Length && text[colon] == ':')
        {
            string key = text[start..colon].Trim();
            if (colon + 1 < text.Length && char.IsWhiteSpace(text[colon + 1]))
            {
                _next = colon + 1;
                return SetOperationToken(start, key);
            }
            RejectGluedSetOperation(key, colon + 1);
        }

        int end = IndexOfAnyOrEnd(LabelStops, start);
        string label = text[start..end].Trim();
        RejectSetOperationWithoutKey(label, start);
        _next = end;
        return new Token(TokenKind.Label, start, label);
    }

    /// <summary>"os:" with nothing after it, or "os:containsAny …" written without the space Ginkgo requires.</summary>
    private void RejectGluedSetOperation(string key, int afterColon)
    {
        int end = IndexOfAnyOrEnd(LabelStops, afterColon);
        var rest = text.AsSpan(afterColon, end - afterColon);
        if (rest.IsWhiteSpace())
        {
            throw Error(afterColon, $"missing set operation after '{key}:'");
        }
        int wordEnd = rest.IndexOfAny(" \t\r\n");
        var word = wordEnd < 0 ? rest : rest[..wordEnd];
        if (SetOperations.TryFind(word, out var name, out _))
        {
            throw Error(afterColon, $"'{key}:{name}' needs a space after ':' to be a set operation ('{key}: {name} ...')");
        }
    }

    /// <summary>Ginkgo's "did you forget the ':'?" check: a label like "os containsAny".</summary>
    private void RejectSetOperationWithoutKey(string label, int start)
    {
        // The label starts at 'start': the lexer skipped whitespace before it.
        for (int i = 1; i < label.Length; i++)
        {
            if (!char.IsWhiteSpace(label[i - 1]) || char.IsWhiteSpace(label[i]))
            {
                continue;
            }
            int wordEnd = i;
            while (wordEnd < label.Length && !char.IsWhiteSpace(label[wordEnd]))
            {
                wordEnd++;
            }
            if (SetOperations.TryFind(label.AsSpan(i, wordEnd - i), out var name, out _))
            {
                throw Error(start + i, $"'{name}' looks like a set operation without a key: did you forget the ':' (as in 'os: {name} {{...}}')?");
            }
        }
    }

    private int IndexOfAnyOrEnd(char[] stops, int from, char? alsoStopAt = null)
    {
        for (int i = from; i < text.Length; i++)
        {
            if (Array.IndexOf(stops, text[i]) >= 0 || text[i] == alsoStopAt)
            {
                return i;
            }
        }
        return text.Length;
    }

    private void SkipWhitespace()
    {
        while (_next < text.Length && char.IsWhiteSpace(text[_next]))
        {
            _next++;
        }
    }

    private static LabelFilterSyntaxException Error(int position, string detail) => new(detail, position);
}
