using ReviewBot.Core.Labels;

namespace ReviewBot.Tests.Core.Labels;

/// <summary>Every syntax error names the 0-based position of the offending token (DESIGN §3).</summary>
public sealed class LabelFilterSyntaxErrorTests
{
    private static LabelFilterSyntaxException Fails(string filter)
        => Assert.Throws<LabelFilterSyntaxException>(() => LabelFilter.Parse(filter));

    private static void AssertError(string filter, int position, string detail)
    {
        var ex = Fails(filter);
        Assert.Equal(detail, ex.Detail);
        Assert.Equal(position, ex.Position);
    }

    [Fact]
    public void Parse_UnclosedParenthesis_PointsAtTheEndAndNamesTheOpeningParenthesis()
        => AssertError("(A && B) || ((C && D) && E", 26, "missing closing ')' for '(' at 12");

    [Fact]
    public void Parse_CloseParenthesisWithoutOpening_PointsAtIt()
        => AssertError("A || B) && C", 6, "unexpected ')' with no matching '('");

    [Fact]
    public void Parse_LeadingCloseParenthesis_PointsAtIt()
        => AssertError(") a", 0, "unexpected ')' with no matching '('");

    [Fact]
    public void Parse_EmptyGroup_PointsAtTheCloseParenthesis()
        => AssertError("A && (   )", 9, "empty '()' group");

    [Fact]
    public void Parse_NestedEmptyGroup_PointsAtTheInnermostCloseParenthesis()
        => AssertError("A && (((   )))", 11, "empty '()' group");

    [Fact]
    public void Parse_TrailingAnd_PointsAtTheOperator()
        => AssertError("A &&", 2, "'&&' is missing its right operand");

    [Fact]
    public void Parse_OperatorBeforeCloseParenthesis_PointsAtTheOperator()
        => AssertError("(a ||)", 3, "'||' is missing its right operand");

    [Fact]
    public void Parse_TrailingNot_PointsAtTheNot()
        => AssertError("A && !", 5, "'!' is missing its operand");

    [Fact]
    public void Parse_LeadingAnd_PointsAtTheOperator()
        => AssertError(" && B", 1, "'&&' is missing its left operand");

    [Fact]
    public void Parse_LeadingComma_PointsAtTheComma()
        => AssertError(", B", 0, "',' is missing its left operand");

    [Fact]
    public void Parse_TwoOperatorsInARow_PointsAtTheSecond()
        => AssertError("a && || b", 5, "'||' is missing its left operand");

    [Fact]
    public void Parse_SingleAmpersand_SuggestsDoubleAmpersand()
        => AssertError("A & B", 2, "invalid token '&': did you mean '&&'?");

    [Fact]
    public void Parse_SinglePipe_SuggestsDoublePipe()
        => AssertError("A | B", 2, "invalid token '|': did you mean '||'?");

    [Fact]
    public void Parse_LabelAfterGroupWithoutOperator_PointsAtTheLabel()
        => AssertError("(A) B", 4, "missing operator ('&&', '||' or ',') before 'B'");

    [Fact]
    public void Parse_GroupAfterLabelWithoutOperator_PointsAtTheParenthesis()
        => AssertError("A (B)", 2, "missing operator ('&&', '||' or ',') before '('");

    [Fact]
    public void Parse_NotAfterLabelWithoutOperator_PointsAtTheNot()
        => AssertError("A !B", 2, "missing operator ('&&', '||' or ',') before '!'");

    [Fact]
    public void Parse_RegexAfterGroupWithoutOperator_PointsAtTheRegex()
        => AssertError("(a) /b/", 4, "missing operator ('&&', '||' or ',') before '/b/'");

    [Fact]
    public void Parse_Positions_IndexTheUntrimmedText()
        => AssertError("   a &&", 5, "'&&' is missing its right operand");

    [Fact]
    public void Parse_Error_MessageCarriesDetailAndPosition()
        => Assert.Equal("empty '()' group (at position 1)", Fails("()").Message);

    [Fact]
    public void Parse_InvalidRegex_PointsAtTheRegexAndQuotesIt()
    {
        var ex = Fails("A && /[a/");
        Assert.Equal(5, ex.Position);
        Assert.StartsWith("invalid regex '/[a/': ", ex.Detail);
    }

    [Fact]
    public void Parse_RegexWithBackreference_IsRejectedLikeRe2()
        => AssertError("/(a)\\1/", 0, "invalid regex '/(a)\\1/': backreferences, lookaround and atomic groups are not supported (RE2 syntax, as in Ginkgo)");

    [Fact]
    public void Parse_RegexWithLookbehind_IsRejectedLikeRe2()
        => Assert.Contains("lookaround", Fails("a || /(?<=a)b/").Detail);

    [Fact]
    public void Parse_EmptyRegex_PointsAtIt()
        => AssertError("a || //", 5, "empty regex");

    [Fact]
    public void Parse_UnterminatedRegex_PointsAtTheOpeningSlash()
        => AssertError("a && /lin", 5, "missing closing '/' for regex");

    [Fact]
    public void Parse_UnknownSetOperation_PointsAtTheOperationName()
        => AssertError("os: foo {a}", 4, "unknown set operation 'foo' (expected containsAny, containsAll, consistsOf, isSubsetOf or isEmpty)");

    [Fact]
    public void Parse_SetOperationWithoutArgument_ExpectsABrace()
        => AssertError("os: containsAny && x", 16, "expected '{' after 'containsAny', as in 'os: containsAny {a,b}'");

    [Fact]
    public void Parse_SetOperationWithRegexArgument_SaysRegexIsNotSupported()
        => AssertError("os: containsAny /lin/", 16, "set operations do not support regular expressions");

    [Fact]
    public void Parse_UnclosedBrace_PointsAtTheEndAndNamesTheBrace()
        => AssertError("os: containsAny {linux", 22, "missing closing '}' for '{' at 16");

    [Fact]
    public void Parse_EmptyBraces_NeedAValue()
        => AssertError("os: containsAll { }", 16, "'containsAll' needs at least one value inside '{}'");

    [Fact]
    public void Parse_EmptyValueInSet_PointsAtIt()
        => AssertError("os: containsAny {a,,b}", 19, "empty value in set");

    [Fact]
    public void Parse_OperatorCharacterInSetValue_IsRejected()
        => AssertError("os: containsAny {a, b&c}", 20, "invalid value 'b&c' in set: values cannot contain any of &|!()/{}");

    [Fact]
    public void Parse_IsEmptyWithValues_IsRejected()
        => AssertError("gpu: isEmpty {a100}", 13, "isEmpty takes no values, got '{a100}'");

    [Fact]
    public void Parse_IsEmptyWithBareValue_IsRejected()
        => AssertError("gpu: isEmpty a100", 13, "isEmpty takes no values, got 'a100'");

    [Fact]
    public void Parse_ColonWithoutKey_PointsAtTheColon()
        => AssertError(" : isEmpty", 1, "missing set key before ':'");

    [Fact]
    public void Parse_KeyWithoutOperation_PointsAfterTheColon()
        => AssertError("os:", 3, "missing set operation after 'os:'");

    [Fact]
    public void Parse_KeyAndSpaceWithoutOperation_PointsWhereTheOperationShouldBe()
        => AssertError("os: ) ", 4, "missing set operation after 'os:'");

    [Fact]
    public void Parse_SetOperationGluedToColon_AsksForASpace()
        => AssertError("os:containsAny {linux}", 3, "'os:containsAny' needs a space after ':' to be a set operation ('os: containsAny ...')");

    [Fact]
    public void Parse_SetOperationWithoutColon_AsksWhetherTheColonIsMissing()
        => AssertError("os containsAny {linux}", 3, "'containsAny' looks like a set operation without a key: did you forget the ':' (as in 'os: containsAny {...}')?");

    [Fact]
    public void Parse_BraceOutsideASetOperation_PointsAtIt()
        => AssertError("a || {b}", 5, "unexpected '{': a value set must follow a set operation, as in 'os: containsAny {linux,darwin}'");

    [Fact]
    public void Parse_NestingDeeperThanTheLimit_IsRejectedInsteadOfOverflowingTheStack()
    {
        var ex = Fails(new string('(', 10_000) + "a" + new string(')', 10_000));
        Assert.Equal("filter nests deeper than 64 levels", ex.Detail);
        Assert.Equal(64, ex.Position);
    }

    [Fact]
    public void Parse_LongChainOfNots_IsRejectedInsteadOfOverflowingTheStack()
        => Assert.Equal("filter nests deeper than 64 levels", Fails(new string('!', 10_000) + "a").Detail);

    [Fact]
    public void Parse_NestingAtTheLimit_IsAccepted()
        => Assert.True(LabelFilter.Parse(new string('(', 64) + "a" + new string(')', 64)).Matches(["a"]));

    [Fact]
    public void Parse_LongChainOfAnds_IsAccepted()
    {
        var filter = LabelFilter.Parse(string.Join(" && ", Enumerable.Repeat("a", 20_000)));
        Assert.True(filter.Matches(["a"]));
    }
}
