using ReviewBot.Functions.CodeHosts.GitHub.Trust;
using ReviewBot.Functions.CodeHosts.GitLab.Trust;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Tests.Trust;

/// <summary>What counts as the approval command in a comment: alone on a line, as Prow's <c>(?m)^/ok-to-test\s*$</c>.</summary>
public class OkToTestCommandTests
{
    [Theory]
    [InlineData("/ok-to-test")]
    [InlineData("/ok-to-test  ")]
    [InlineData("Looks harmless.\r\n/ok-to-test\r\nThanks!")]
    [InlineData("LGTM\n\n/ok-to-test")]
    public void TheCommandAloneOnALine_Approves(string comment) => Assert.True(OkToTestCommand.Matches(comment, "/ok-to-test"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/ok-to-test please")]
    [InlineData("please /ok-to-test")]
    [InlineData(" /ok-to-test")]
    [InlineData("/OK-TO-TEST")]
    [InlineData("/ok-to-testing")]
    [InlineData("> /ok-to-test\n\nWhy did you write this?")]
    [InlineData("Type this:\n```\n/ok-to-test\n```")]
    [InlineData("~~~\n/ok-to-test\n~~~")]
    public void AnythingElse_DoesNot(string? comment) => Assert.False(OkToTestCommand.Matches(comment, "/ok-to-test"));

    [Fact]
    public void AConfiguredCommand_IsTheOneThatCounts()
    {
        Assert.True(OkToTestCommand.Matches("/safe-to-run", "/safe-to-run"));
        Assert.False(OkToTestCommand.Matches("/ok-to-test", "/safe-to-run"));
    }

    [Fact]
    public void TextAfterAClosedFence_CountsAgain() =>
        Assert.True(OkToTestCommand.Matches("```\nexample\n```\n/ok-to-test", "/ok-to-test"));
}
