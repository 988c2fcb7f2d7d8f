using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Functions.Configuration;

namespace ReviewBot.Tests.Configuration;

public sealed class ConfigReportSettingsTests
{
    [Fact]
    public void LinterWithoutReportSettings_ReportsAddedLines_FailsOnErrors_AndPostsEverything() =>
        Assert.Equal(ReportSettings.Default, ConfigLoader.Parse("linters: { lint: { command: [lint] } }", "c.yaml").LintersFor("o/r").Single().Report);

    [Fact]
    public void FilterFailOnAndReport_AreReadAndOverriddenPerRepository()
    {
        var config = ConfigLoader.Parse("""
            linters:
              lint: { command: [lint], filter: diff_context, failOn: warning }
            repos:
              acme/quiet:
                report: none
              acme/loud:
                linters:
                  lint: { failOn: any, report: checks }
            """, "c.yaml");

        Assert.Equal(new ReportSettings(FilterMode.DiffContext, FailLevel.Warning, ReportMode.All), config.LintersFor("other/repo").Single().Report);
        Assert.Equal(new ReportSettings(FilterMode.DiffContext, FailLevel.Warning, ReportMode.None), config.LintersFor("acme/quiet").Single().Report);
        Assert.Equal(new ReportSettings(FilterMode.DiffContext, FailLevel.Any, ReportMode.Checks), config.LintersFor("acme/loud").Single().Report);
    }

    [Fact]
    public void LintersOwnReport_WinsOverItsRepositorysDefault()
    {
        var config = ConfigLoader.Parse("""
            linters: { lint: { command: [lint] } }
            repos:
              acme/app:
                report: none
                linters:
                  lint: { report: review }
            """, "c.yaml");

        Assert.Equal(ReportMode.Review, config.LintersFor("acme/app").Single().Report.Mode);
    }

    [Theory]
    [InlineData("filter: changed", "linters.lint.filter: unknown filter 'changed' (expected one of: added, diff_context, file, nofilter, new)")]
    [InlineData("failOn: fatal", "linters.lint.failOn: unknown level 'fatal' (expected one of: none, any, info, warning, error)")]
    [InlineData("report: slack", "linters.lint.report: unknown report 'slack' (expected one of: all, checks, review, none)")]
    [InlineData("fixed: hide", "linters.lint.fixed: unknown fixed 'hide' (expected one of: resolve, delete)")]
    public void BadValues_AreReportedWithTheirPosition(string setting, string message)
    {
        var error = Assert.Single(Assert.Throws<ConfigException>(() => ConfigLoader.Parse($"linters:\n  lint:\n    command: [lint]\n    {setting}\n", "c.yaml")).Errors);

        Assert.Equal((4, setting.IndexOf(':') + 7, message), (error.Line, error.Column, error.Message));
    }

    [Fact]
    public void Fixed_ResolvesByDefault_AndDeleteIsReadPerRepository()
    {
        var config = ConfigLoader.Parse("""
            linters: { lint: { command: [lint] } }
            repos:
              acme/app:
                linters:
                  lint: { fixed: delete }
            """, "c.yaml");

        Assert.Equal(FixedMode.Resolve, config.LintersFor("other/repo").Single().Report.Fixed);
        Assert.Equal(FixedMode.Delete, config.LintersFor("acme/app").Single().Report.Fixed);
    }
}
