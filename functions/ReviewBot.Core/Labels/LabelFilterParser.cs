using ReviewBot.Core.Labels.Nodes;

namespace ReviewBot.Core.Labels;

/// <summary>
/// Recursive-descent parser with Ginkgo's precedence: '!' binds tightest, then '&amp;&amp;', then '||' and ','
/// (equal, left to right). A set operation ("key: op {…}") is an atom. Nesting is capped so that hostile
/// input cannot overflow the stack; chains of '&amp;&amp;'/'||' become one n-ary node, so they add no depth.
/// </summary>
internal sealed class LabelFilterParser
{
    public const int MaxNesting = 64;

    private readonly List<Token> _tokens;
    private int _next;
    private int _nesting;

    private LabelFilterParser(List<Token> tokens) => _tokens = tokens;

    /// <summary>Parses non-blank <paramref name="text"/>; throws <see cref="LabelFilterSyntaxException"/>.</summary>
    public static FilterNode Parse(string text)
    {
        var parser = new LabelFilterParser(new LabelFilterLexer(text).Tokenize());
        var root = parser.ParseOr(after: null);
        parser.ExpectEnd();
        return root;
    }

    private Token Peek => _tokens[_next];

    private Token Take() => _tokens[_next++];

    private FilterNode ParseOr(Token? after)
    {
        var first = ParseAnd(after);
        if (Peek.Kind != TokenKind.Or)
        {
            return first;
        }
        var operands = new List<FilterNode> { first };
        while (Peek.Kind == TokenKind.Or)
        {
            var op = Take();
            operands.Add(ParseAnd(op));
        }
        return new OrNode([.. operands]);
    }

    private FilterNode ParseAnd(Token? after)
    {
        var first = ParseUnary(after);
        if (Peek.Kind != TokenKind.And)
        {
            return first;
        }
        var operands = new List<FilterNode> { first };
        while (Peek.Kind == TokenKind.And)
        {
            var op = Take();
            operands.Add(ParseUnary(op));
        }
        return new AndNode([.. operands]);
    }

    /// <param name="after">The token before this operand (an operator or '('); null at the start.</param>
    private FilterNode ParseUnary(Token? after)
    {
        var token = Peek;
        switch (token.Kind)
        {
            case TokenKind.Label:
                Take();
                return new LabelNode(token.Text);
            case TokenKind.Regex:
                Take();
                return RegexNode.Create(token);
            case TokenKind.Set:
                Take();
                return new SetNode(token.Set!);
            case TokenKind.Not:
                Take();
                Enter(token);
                var operand = ParseUnary(token);
                _nesting--;
                return new NotNode(operand);
            case TokenKind.Open:
                return ParseGroup();
            case TokenKind.And or TokenKind.Or:
                throw Error(token.Position, $"'{token.Text}' is missing its left operand");
            default:
                throw MissingOperand(after, token);
        }
    }

    private FilterNode ParseGroup()
    {
        var open = Take();
        Enter(open);
        var inner = ParseOr(open);
        var token = Peek;
        if (token.Kind == TokenKind.End)
        {
            throw Error(token.Position, $"missing closing ')' for '(' at {open.Position}");
        }
        if (token.Kind != TokenKind.Close)
        {
            throw MissingOperator(token);
        }
        Take();
        _nesting--;
        return inner;
    }

    private void ExpectEnd()
    {
        var token = Peek;
        if (token.Kind == TokenKind.Close)
        {
            throw Error(token.Position, "unexpected ')' with no matching '('");
        }
        if (token.Kind != TokenKind.End)
        {
            throw MissingOperator(token);
        }
    }

    private void Enter(Token token)
    {
        if (++_nesting > MaxNesting)
        {
            throw Error(token.Position, $"filter nests deeper than {MaxNesting} levels");
        }
    }

    /// <summary>An operand was expected but <paramref name="found"/> is ')' or the end.</summary>
    private static LabelFilterSyntaxException MissingOperand(Token? after, Token found) => after switch
    {
        null => Error(found.Position, "unexpected ')' with no matching '('"),
        { Kind: TokenKind.Open } when found.Kind == TokenKind.Close => Error(found.Position, "empty '()' group"),
        { Kind: TokenKind.Open } => Error(found.Position, $"missing closing ')' for '(' at {after.Value.Position}"),
        { Kind: TokenKind.Not } => Error(after.Value.Position, "'!' is missing its operand"),
        _ => Error(after.Value.Position, $"'{after.Value.Text}' is missing its right operand"),
    };

    private static LabelFilterSyntaxException MissingOperator(Token found)
        => Error(found.Position, $"missing operator ('&&', '||' or ',') before {found.Describe()}");

    private static LabelFilterSyntaxException Error(int position, string detail) => new(detail, position);
}
