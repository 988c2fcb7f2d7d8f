using ReviewBot.Agent.Linting;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Tests.Agent.Linting;

public class CheckstyleParserTests
{
    private const string EslintRoot = "/tmp/es";

    [Fact]
    public void Parse_EslintCheckstyle_ReturnsEveryError()
    {
        var result = OutputParsers.Parse("checkstyle", LinterTestData.Read("eslint", "checkstyle.xml"), EslintRoot);

        Assert.Empty(result.Unexpected);
        Assert.Equal(9, result.Findings.Count);
        Assert.Equal(
            new Finding("src/app.js", 1, 7, null, Severity.Error, "eslint.rules.no-unused-vars", "'fs' is assigned a value but never used."),
            result.Findings[0]);
        Assert.Equal(
            new Finding("src/app.js", 1, 20, null, Severity.Warning, "eslint.rules.quotes", "Strings must use doublequote."),
            result.Findings[2]);
        Assert.Equal(
            new Finding("src/broken.js", 1, 10, null, Severity.Error, null, "Parsing error: Unexpected token ("),
            result.Findings[7]);
        Assert.Equal(
            new Finding("src/utils/format.js", 5, 1, null, Severity.Error, "eslint.rules.no-debugger", "Unexpected 'debugger' statement."),
            result.Findings[8]);
    }

    [Fact]
    public void Parse_TextAroundTheDocument_IsUnexpected()
    {
        var output = "npm warn config something odd\n" + LinterTestData.Read("eslint", "checkstyle.xml") + "\nDone in 1.2s\n";

        var result = OutputParsers.Parse("checkstyle", output, EslintRoot);

        Assert.Equal(9, result.Findings.Count);
        Assert.Equal(["npm warn config something odd", "Done in 1.2s"], result.Unexpected);
    }

    [Fact]
    public void Parse_TruncatedDocument_ReturnsEverythingAsUnexpected()
    {
        var xml = LinterTestData.Read("eslint", "checkstyle.xml");
        var truncated = xml[..(xml.Length / 2)];

        var result = OutputParsers.Parse("checkstyle", truncated);

        Assert.Empty(result.Findings);
        Assert.StartsWith("checkstyle: invalid XML:", result.Unexpected[0]);
        Assert.Equal(truncated.Trim(), result.Unexpected[1]);
    }

    [Fact]
    public void Parse_DocumentWithADtd_IsRefused()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE checkstyle [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <checkstyle><file name="a.js"><error line="1" severity="error" message="&secret;" source="x"/></file></checkstyle>
            """;

        var result = OutputParsers.Parse("checkstyle", xml);

        Assert.Empty(result.Findings);
        Assert.StartsWith("checkstyle: invalid XML:", result.Unexpected[0]);
    }

    [Fact]
    public void Parse_OtherRootElement_IsReportedAsNotCheckstyle()
    {
        var result = OutputParsers.Parse("checkstyle", "<testsuites><testsuite/></testsuites>");

        Assert.Empty(result.Findings);
        Assert.Equal(["checkstyle: root element is <testsuites>, expected <checkstyle>", "<testsuites><testsuite/></testsuites>"], result.Unexpected);
    }
}
