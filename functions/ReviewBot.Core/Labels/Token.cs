namespace ReviewBot.Core.Labels;

internal enum TokenKind { Label, Regex, Set, Not, And, Or, Open, Close, End }

/// <summary>One lexical token. <see cref="Position"/> is a 0-based index into the text given to the lexer.</summary>
/// <param name="Text">The label (trimmed), the regex pattern, the operator as written, or "key: operation" for a set.</param>
/// <param name="Set">Only for <see cref="TokenKind.Set"/>.</param>
internal readonly record struct Token(TokenKind Kind, int Position, string Text, SetSpec? Set = null)
{
    /// <summary>How the token reads in an error message.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.Regex => $"'/{Text}/'",
        TokenKind.End => "the end of the filter",
        _ => $"'{Text}'",
    };
}

/// <summary>A parsed "key: operation {values}". Key and values are trimmed and lower-cased; values are distinct.</summary>
internal sealed record SetSpec(string Key, SetOperation Operation, string[] Values);
