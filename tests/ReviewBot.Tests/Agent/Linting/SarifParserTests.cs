using ReviewBot.Agent.Linting;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Tests.Agent.Linting;

public class SarifParserTests
{
    [Fact]
    public void Parse_RoslynErrorLog_SkipsPragmaSuppressedResults()
    {
        var result = OutputParsers.Parse("sarif", LinterTestData.Read("dotnet-build", "roslyn-errorlog.sarif"), "/tmp/cs/Demo");

        Assert.Empty(result.Unexpected);
        Assert.Equal(7, result.Findings.Count); // 8 results, CS0219 is under #pragma warning disable
        Assert.DoesNotContain(result.Findings, f => f.Rule == "CS0219");
        Assert.Equal(
            new Finding("Services/Mailer.cs", 7, 12, 7, Severity.Warning, "CS8618",
                "Non-nullable field '_host' must contain a non-null value when exiting constructor. Consider adding the 'required' modifier or declaring the field as nullable."),
            result.Findings[0]);
        Assert.Equal(
            new Finding("Customer.cs", 14, 26, 14, Severity.Warning, "CS0168", "The variable 'ex' is declared but never used"),
            result.Findings[1]);
        Assert.Equal(
            new Finding("Services/Mailer.cs", 9, 23, 9, Severity.Info, "CA1822", "Member 'SendAsync' does not access instance data and can be marked as static"),
            result.Findings[6]);
    }

    [Fact]
    public void Parse_FileUrisOutsideTheRoot_StayAbsolute()
    {
        var result = OutputParsers.Parse("sarif", LinterTestData.Read("dotnet-build", "roslyn-errorlog.sarif"));

        Assert.Equal("/tmp/cs/Demo/Services/Mailer.cs", result.Findings[0].File);
    }

    [Fact]
    public void Parse_EslintSarif_ReadsFileUris()
    {
        var result = OutputParsers.Parse("sarif", LinterTestData.Read("eslint", "sarif.sarif"), "/tmp/es");

        Assert.Empty(result.Unexpected);
        Assert.Equal(8, result.Findings.Count);
        Assert.Equal(
            new Finding("src/app.js", 1, 7, 1, Severity.Error, "no-unused-vars", "'fs' is assigned a value but never used."),
            result.Findings[0]);
        Assert.Equal(
            new Finding("src/utils/format.js", 5, 1, 5, Severity.Error, "no-debugger", "Unexpected 'debugger' statement."),
            result.Findings[7]);
    }

    [Fact]
    public void Parse_RebasedSarif_ResolvesUriBaseIdsThroughOriginalUriBaseIds()
    {
        var direct = OutputParsers.Parse("sarif", LinterTestData.Read("eslint", "sarif.sarif"), "/tmp/es");
        var rebased = OutputParsers.Parse("sarif", LinterTestData.Read("eslint", "sarif-rebased-srcroot.sarif"), "/tmp/es");

        Assert.Empty(rebased.Unexpected);
        Assert.Equal(direct.Findings, rebased.Findings);
    }

    [Fact]
    public void Parse_MessageIdsDefaultLevelsKindsAndMissingLocations_FollowTheSpec()
    {
        const string sarif = """
            {
              "version": "2.1.0",
              "runs": [{
                "tool": { "driver": { "name": "demo",
                  "globalMessageStrings": { "generic": { "text": "Generic {0}." } },
                  "rules": [
                    { "id": "R1", "defaultConfiguration": { "level": "error" },
                      "messageStrings": { "default": { "text": "Variable '{0}' is unused in {1}." } } },
                    { "id": "R2" } ] } },
                "originalUriBaseIds": {
                  "REPO": { "uri": "file:///work/repo/" },
                  "SRC": { "uri": "src/", "uriBaseId": "REPO" },
                  "UNKNOWN": { "description": { "text": "no uri" } } },
                "results": [
                  { "ruleIndex": 0, "message": { "id": "default", "arguments": ["x", "Main"] },
                    "locations": [{ "physicalLocation": { "artifactLocation": { "uri": "my%20file.cs", "uriBaseId": "SRC" },
                      "region": { "startLine": 3, "startColumn": 9 } } }] },
                  { "ruleId": "R2", "message": { "id": "generic", "arguments": ["problem"] },
                    "locations": [{ "physicalLocation": { "artifactLocation": { "uri": "lib/a.cs", "uriBaseId": "UNKNOWN" } } }] },
                  { "ruleId": "R2", "kind": "pass", "message": { "text": "fine" } },
                  { "ruleId": "R2", "level": "none", "message": { "markdown": "**no location**" } }
                ] }]
            }
            """;

        var result = OutputParsers.Parse("sarif", sarif, "/work/repo");

        Assert.Empty(result.Unexpected);
        Assert.Equal(
            [
                new Finding("src/my file.cs", 3, 9, null, Severity.Error, "R1", "Variable 'x' is unused in Main."),
                new Finding("lib/a.cs", 0, null, null, Severity.Warning, "R2", "Generic problem."),
                new Finding("", 0, null, null, Severity.Info, "R2", "**no location**"),
            ],
            result.Findings);
    }

    [Fact]
    public void Parse_TruncatedLog_ReturnsEverythingAsUnexpected()
    {
        var sarif = LinterTestData.Read("eslint", "sarif.sarif");
        var truncated = sarif[..(sarif.Length / 2)];

        var result = OutputParsers.Parse("sarif", truncated);

        Assert.Empty(result.Findings);
        Assert.StartsWith("sarif: invalid JSON:", result.Unexpected[0]);
        Assert.Equal(truncated.Split('\n').Count(l => l.Trim().Length > 0) + 1, result.Unexpected.Count);
        Assert.Equal("{", result.Unexpected[1]);
    }

    [Fact]
    public void Parse_JsonThatIsNotSarif_SaysSo()
    {
        var result = OutputParsers.Parse("sarif", """{ "issues": [] }""");

        Assert.Empty(result.Findings);
        Assert.Equal(["sarif: not a SARIF log (no runs array)", """{ "issues": [] }"""], result.Unexpected);
    }
}
