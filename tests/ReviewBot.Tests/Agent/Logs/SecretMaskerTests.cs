using ReviewBot.Agent.Logs;
using ReviewBot.Agent.Workspaces;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Tests.Agent.Logs;

public class SecretMaskerTests
{
    [Fact]
    public void MasksEveryOccurrence() =>
        Assert.Equal("a *** b ***", new SecretMasker(["s3cret"]).Apply("a s3cret b s3cret"));

    [Fact]
    public void MasksTheLongerOfOverlappingSecretsWhole() =>
        Assert.Equal("x *** y", new SecretMasker(["abcd", "abcdefgh"]).Apply("x abcdefgh y"));

    [Fact]
    public void IgnoresEmptyAndVeryShortSecrets() =>
        Assert.Equal("a b c", new SecretMasker([null, "", "b"]).Apply("a b c"));

    [Fact]
    public void ForSourceMasksTheTokenAndItsBasicAuthForm()
    {
        var masker = SecretMasker.ForSource(new SourceSpec("r", "https://h/r.git", "sha", null, null, null, null, "ghs_token1"));

        Assert.Equal("t=*** h=***", masker.Apply($"t=ghs_token1 h={GitCredentials.BasicValue("ghs_token1")}"));
    }

    [Fact]
    public void ForAssignmentMasksTheJobsSecretValuesAndTheToken()
    {
        var assignment = new TaskAssignment(
            "t", "l", 1,
            new SourceSpec("r", "https://h/r.git", "", "main", null, null, null, "ghs_token1"),
            new LinterSpec("job", [], [], new Dictionary<string, string>(), null, "none", [], TimeSpan.FromMinutes(1)),
            TimeSpan.FromSeconds(5))
        {
            Job = new JobSpec("job", [], new Dictionary<string, string> { ["PLAIN"] = "visible-value" }, new Dictionary<string, string> { ["API_KEY"] = "k3y-v4lue" }, TimeSpan.FromMinutes(1)),
        };

        var masker = SecretMasker.ForAssignment(assignment);

        Assert.Equal("*** *** visible-value", masker.Apply("k3y-v4lue ghs_token1 visible-value"));
    }

    [Theory]
    [InlineData("output s3cr", 4)]
    [InlineData("output s3cret-t0ke", 11)]
    [InlineData("output s", 1)]
    [InlineData("output ***", 0)]
    [InlineData("output s3x", 0)]
    [InlineData("", 0)]
    public void TheUnfinishedSecretAtTheEndIsTheLongestEndThatBeginsASecret(string text, int expected) =>
        Assert.Equal(expected, new SecretMasker(["s3cret-t0ken", "other-secret"]).UnfinishedSecretLength(text));
}
