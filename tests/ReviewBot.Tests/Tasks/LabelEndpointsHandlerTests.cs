using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Tests.Tasks;

/// <summary>The evaluate handler called directly: every malformed body gets a 400 naming what is wrong.</summary>
public sealed class LabelEndpointsHandlerTests
{
    private static async Task<IResult> EvaluateAsync(string json)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var result = await LabelEndpoints.EvaluateAsync(context.Request, CancellationToken.None);
        return result.Result;
    }

    private static async Task<bool> MatchesAsync(string json)
        => Assert.IsType<Ok<LabelEvaluation>>(await EvaluateAsync(json)).Value!.Matches;

    private static async Task<ProblemHttpResult> ProblemAsync(string json)
    {
        var problem = Assert.IsType<ProblemHttpResult>(await EvaluateAsync(json));
        Assert.Equal(StatusCodes.Status400BadRequest, problem.StatusCode);
        return problem;
    }

    private static async Task<string?> DetailAsync(string json) => (await ProblemAsync(json)).ProblemDetails.Detail;

    [Fact]
    public async Task Evaluate_MatchingFilter_ReturnsTrue()
        => Assert.True(await MatchesAsync("""{"filter": "os: containsAny {linux}", "labels": ["os:linux"]}"""));

    [Fact]
    public async Task Evaluate_EmptyFilter_MatchesAnyLabels()
        => Assert.True(await MatchesAsync("""{"filter": "", "labels": []}"""));

    [Fact]
    public async Task Evaluate_PropertyNames_IgnoreCase()
        => Assert.True(await MatchesAsync("""{"Filter": "linux", "LABELS": ["Linux"]}"""));

    [Fact]
    public async Task Evaluate_SyntaxError_IsAProblemWithTheParserDetailAndPosition()
    {
        var problem = await ProblemAsync("""{"filter": "a & b", "labels": []}""");
        Assert.Equal("Invalid label filter", problem.ProblemDetails.Title);
        Assert.Equal("invalid token '&': did you mean '&&'?", problem.ProblemDetails.Detail);
        Assert.Equal(2, problem.ProblemDetails.Extensions["position"]);
    }

    [Fact]
    public async Task Evaluate_MissingFilter_NamesTheField()
        => Assert.Equal("'filter' is required (use \"\" to match every agent)", await DetailAsync("""{"labels": []}"""));

    [Theory]
    [InlineData("""{"filter": 3, "labels": []}""")]
    [InlineData("""{"filter": null, "labels": []}""")]
    [InlineData("""{"filter": ["linux"], "labels": []}""")]
    public async Task Evaluate_FilterThatIsNotAString_NamesTheField(string json)
        => Assert.Equal("'filter' must be a string", await DetailAsync(json));

    [Fact]
    public async Task Evaluate_MissingLabels_NamesTheField()
        => Assert.Equal("'labels' is required (an array of strings, possibly empty)", await DetailAsync("""{"filter": "a"}"""));

    [Theory]
    [InlineData("""{"filter": "a", "labels": "linux"}""")]
    [InlineData("""{"filter": "a", "labels": null}""")]
    public async Task Evaluate_LabelsThatAreNotAnArray_NamesTheField(string json)
        => Assert.Equal("'labels' must be an array of strings", await DetailAsync(json));

    [Fact]
    public async Task Evaluate_LabelThatIsNotAString_NamesTheItem()
        => Assert.Equal("'labels[1]' must be a string", await DetailAsync("""{"filter": "a", "labels": ["linux", 42]}"""));

    [Fact]
    public async Task Evaluate_BodyThatIsNotJson_SaysSo()
        => Assert.StartsWith("the request body is not valid JSON", await DetailAsync("filter=a"));

    [Fact]
    public async Task Evaluate_EmptyBody_SaysItIsNotJson()
        => Assert.StartsWith("the request body is not valid JSON", await DetailAsync(""));

    [Fact]
    public async Task Evaluate_BodyThatIsNotAnObject_SaysSo()
        => Assert.Equal("the request body must be a JSON object with 'filter' and 'labels'", await DetailAsync("""["a"]"""));

    [Fact]
    public async Task Evaluate_FilterLongerThanTheLimit_IsRejected()
        => Assert.Equal("'filter' is longer than 4096 characters",
            await DetailAsync($$"""{"filter": "{{new string('a', 4097)}}", "labels": []}"""));

    [Fact]
    public async Task Evaluate_MoreLabelsThanTheLimit_IsRejected()
        => Assert.Equal("'labels' has more than 1024 items",
            await DetailAsync($$"""{"filter": "a", "labels": [{{string.Join(",", Enumerable.Repeat("\"x\"", 1025))}}]}"""));
}
