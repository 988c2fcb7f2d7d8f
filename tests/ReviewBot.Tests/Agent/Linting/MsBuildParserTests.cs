using ReviewBot.Agent.Linting;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Tests.Agent.Linting;

public class MsBuildParserTests
{
    private const string DemoRoot = "/tmp/cs/Demo";

    [Fact]
    public void Parse_DotnetBuildWarnings_DropsTheSummaryRepeatsAndTheChatter()
    {
        var result = OutputParsers.Parse("msbuild", LinterTestData.Read("dotnet-build", "build-warnings.txt"), DemoRoot);

        Assert.Empty(result.Unexpected);
        Assert.Equal(6, result.Findings.Count);
        Assert.Equal(
            new Finding("Services/Mailer.cs", 7, 12, null, Severity.Warning, "CS8618",
                "Non-nullable field '_host' must contain a non-null value when exiting constructor. Consider adding the 'required' modifier or declaring the field as nullable."),
            result.Findings[0]);
        Assert.Equal(
            new Finding("Customer.cs", 9, 13, null, Severity.Warning, "CS0168", "The variable 'unused' is declared but never used"),
            result.Findings[2]);
        Assert.Equal(
            new Finding("Services/Mailer.cs", 5, 20, null, Severity.Warning, "CS0169", "The field 'Mailer._host' is never used"),
            result.Findings[5]);
    }

    [Fact]
    public void Parse_ErrorEndLocation_ReadsTheEndLine()
    {
        var result = OutputParsers.Parse("msbuild", LinterTestData.Read("dotnet-build", "build-error-end-location.txt"), DemoRoot);

        Assert.Empty(result.Unexpected);
        Assert.Equal(7, result.Findings.Count);
        Assert.Equal(
            new Finding("Broken.cs", 9, 20, 9, Severity.Error, "CS0103", "The name 'itemm' does not exist in the current context"),
            result.Findings[0]);
        Assert.Equal(6, result.Findings.Count(f => f.Severity == Severity.Warning));
    }

    [Fact]
    public void Parse_CompilerErrorWithoutPosition_IsAFileLevelFindingOnTheProject()
    {
        var result = OutputParsers.Parse("msbuild", LinterTestData.Read("dotnet-build", "build-csc-error.txt"), DemoRoot);

        Assert.Empty(result.Unexpected);
        Assert.Equal(
            [new Finding("Demo.csproj", 0, null, null, Severity.Error, "CS1617",
                "Invalid option 'bogus' for /langversion. Use '/langversion:?' to list supported values.")],
            result.Findings);
    }

    [Fact]
    public void Parse_MsBuildErrorWithoutProject_HasNoFile_AndTheFollowingLineIsUnexpected()
    {
        var result = OutputParsers.Parse("msbuild", LinterTestData.Read("dotnet-build", "build-msbuild-error.txt"));

        Assert.Equal([new Finding("", 0, null, null, Severity.Error, "MSB1009", "Project file does not exist.")], result.Findings);
        Assert.Equal(["Switch: Missing.csproj"], result.Unexpected);
    }

    [Theory]
    [InlineData("/r/a.cs(10): warning XY1: m [/r/a.csproj]", 10, null, null)]
    [InlineData("/r/a.cs(10-12): warning XY1: m [/r/a.csproj]", 10, null, 12)]
    [InlineData("/r/a.cs(10,3-8): warning XY1: m [/r/a.csproj]", 10, 3, null)]
    [InlineData("/r/a.cs(10,3,11,1): warning XY1: m [/r/a.csproj::TargetFramework=net8.0]", 10, 3, 11)]
    [InlineData("  /r/a.cs(10,3): warning XY1: m", 10, 3, null)]
    public void Parse_EveryCanonicalPositionForm_IsRead(string line, int expectedLine, int? expectedColumn, int? expectedEndLine)
    {
        var result = OutputParsers.Parse("msbuild", line, "/r");

        Assert.Equal(new Finding("a.cs", expectedLine, expectedColumn, expectedEndLine, Severity.Warning, "XY1", "m"), Assert.Single(result.Findings));
    }

    [Fact]
    public void Parse_WindowsPathsAndNuGetStyleOrigins_AreRelativeToTheRoot()
    {
        const string output =
            "C:\\src\\app\\Program.cs(3,5): error CS1002: ; expected [C:\\src\\app\\App.csproj]\r\n"
            + "C:\\src\\app\\App.csproj : warning NU1603: App depends on Foo (>= 1.0.0) but Foo 1.0.0 was not found. [C:\\src\\app\\App.csproj]\r\n";

        var result = OutputParsers.Parse("msbuild", output, "C:\\src\\app");

        Assert.Equal(
            [
                new Finding("Program.cs", 3, 5, null, Severity.Error, "CS1002", "; expected"),
                new Finding("App.csproj", 0, null, null, Severity.Warning, "NU1603", "App depends on Foo (>= 1.0.0) but Foo 1.0.0 was not found."),
            ],
            result.Findings);
    }
}
