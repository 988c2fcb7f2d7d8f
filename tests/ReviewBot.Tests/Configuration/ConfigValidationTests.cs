using ReviewBot.Functions.Configuration;

namespace ReviewBot.Tests.Configuration;

// Every error names the file, the 1-based line and column of the offending YAML node, and what is wrong.
public class ConfigValidationTests
{
    private static IReadOnlyList<ConfigError> Errors(string yaml) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "config.yaml", sections: AppConfigSections.All)).Errors;

    private static ConfigError SingleError(string yaml) => Assert.Single(Errors(yaml));

    private static void AssertAt(ConfigError error, int line, int column, string messageStart)
    {
        Assert.Equal(("config.yaml", line, column), (error.File, error.Line, error.Column));
        Assert.StartsWith(messageStart, error.Message);
    }

    [Fact]
    public void UnknownTopLevelKeyIsNamed()
    {
        var error = SingleError("""
            linters: {}
            routing:
              timeout: 5m
            """);

        AssertAt(error, 2, 1, "routing: unknown top-level key 'routing' (expected one of: linters, repos, jobs, reminders, trust)");
    }

    [Fact]
    public void UnknownLinterKeySuggestsTheKeyItResembles()
    {
        var error = SingleError("""
            linters:
              lint:
                command: [lint]
                workdir: src
            """);

        AssertAt(error, 4, 5, "linters.lint.workdir: unknown linter setting 'workdir' (did you mean 'workDir'?)");
    }

    [Fact]
    public void UnknownKeyInARepositorySectionIsNamed()
    {
        var error = SingleError("""
            repos:
              myorg/myrepo:
                linter: {}
            """);

        AssertAt(error, 3, 5, "repos.myorg/myrepo.linter: unknown key 'linter'");
    }

    [Fact]
    public void GlobalLinterWithoutCommandIsReportedAtItsName()
    {
        var error = SingleError("""
            linters:
              shellcheck:
                args: [-x]
            """);

        AssertAt(error, 2, 3, "linters.shellcheck: missing 'command'");
    }

    [Fact]
    public void RepoLinterWithNoBaseDefinitionNeedsACommand()
    {
        var errors = Errors("""
            repos:
              myorg:
                linters: { typo: { enable: false } }
              myorg/myrepo:
                linters:
                  golangci: { args: [run] }
            """);

        Assert.Collection(errors,
            e => AssertAt(e, 3, 16, "repos.myorg.linters.typo: linter 'typo' is not defined in top-level 'linters'; add 'command'"),
            e => AssertAt(e, 6, 7, "repos.myorg/myrepo.linters.golangci: linter 'golangci' is not defined in top-level 'linters' or repos.myorg"));
    }

    [Theory]
    [InlineData("command: []", 20)]
    [InlineData("command:", 20)]
    public void EmptyCommandIsRejected(string command, int column)
    {
        var error = SingleError($"linters:\n  lint: {{ {command} }}\n");

        AssertAt(error, 2, column, "linters.lint.command: must not be empty");
    }

    [Fact]
    public void UnknownFormatListsTheKnownOnes()
    {
        var error = SingleError("linters: { lint: { command: [lint], format: junit } }");

        AssertAt(error, 1, 45, "linters.lint.format: unknown format 'junit' (expected one of: auto, gcc, msbuild, checkstyle, sarif, rdjson, diff)");
    }

    [Theory]
    [InlineData("5")]
    [InlineData("5x")]
    [InlineData("1m30")]
    [InlineData("soon")]
    [InlineData("25:99:99")]
    public void BadTimeoutIsRejected(string timeout)
    {
        var error = SingleError($"linters: {{ lint: {{ command: [lint], timeout: \"{timeout}\" }} }}");

        AssertAt(error, 1, 46, $"linters.lint.timeout: bad timeout '{timeout}'");
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("00:00:00")]
    [InlineData("-00:05:00")]
    public void ZeroOrNegativeTimeoutIsRejected(string timeout)
    {
        var error = SingleError($"linters: {{ lint: {{ command: [lint], timeout: \"{timeout}\" }} }}");

        AssertAt(error, 1, 46, "linters.lint.timeout: timeout must be more than zero");
    }

    [Theory]
    [InlineData("my org")]
    [InlineData("myorg/sub/repo.git")]
    [InlineData("myorg//repo")]
    [InlineData("-myorg")]
    [InlineData("myorg/my repo")]
    [InlineData("myorg/..")]
    [InlineData("myorg/")]
    [InlineData(".org")]
    public void RepositoryKeyMustBeAnOrgGroupRepositoryOrProjectPath(string key)
    {
        var error = SingleError($"repos:\n  \"{key}\": {{}}\n");

        AssertAt(error, 2, 3, $"repos.{key}: ");
    }

    [Fact]
    public void RepositoryKeysThatDifferOnlyInCaseAreDuplicates()
    {
        var error = SingleError("""
            repos:
              myorg/myrepo: {}
              MyOrg/MyRepo: {}
            """);

        AssertAt(error, 3, 3, "repos.MyOrg/MyRepo: same as 'myorg/myrepo' on line 2");
    }

    [Fact]
    public void UnquotedFilterStartingWithBangIsNotSilentlyATag()
    {
        var error = SingleError("""
            repos:
              myorg:
                nodeLabels: !windows
            """);

        AssertAt(error, 3, 17, "repos.myorg.nodeLabels: YAML reads '!windows' as a tag; quote a value that starts with '!', e.g. \"!windows\"");
    }

    [Fact]
    public void ListItemsAreCheckedOneByOne()
    {
        var errors = Errors("""
            linters:
              lint:
                command: [lint, ""]
                languages:
                  - sh
                  - !bash
                args: [~, [-x]]
            """);

        Assert.Collection(errors,
            e => AssertAt(e, 3, 21, "linters.lint.command[1]: must not be empty"),
            e => AssertAt(e, 6, 9, "linters.lint.languages[1]: YAML reads '!bash' as a tag"),
            e => AssertAt(e, 7, 12, "linters.lint.args[0]: must not be empty"),
            e => AssertAt(e, 7, 15, "linters.lint.args[1]: expected a single value, found a list"));
    }

    [Theory]
    [InlineData("/opt/tools")]
    [InlineData("../other")]
    [InlineData("src/../../x")]
    public void WorkDirMustStayInsideTheRepository(string workDir)
    {
        var error = SingleError($"linters: {{ lint: {{ command: [lint], workDir: \"{workDir}\" }} }}");

        AssertAt(error, 1, 46, "linters.lint.workDir: must be a folder inside the repository");
    }

    [Theory]
    [InlineData("command: [lint], languages: [\"*.sh\"]", 49, "linters.lint.languages: '*.sh' is not a file extension")]
    [InlineData("command: [lint], enable: maybe", 45, "linters.lint.enable: expected true or false")]
    [InlineData("command: [lint], args: -x", 43, "linters.lint.args: expected a list")]
    [InlineData("command: lint", 29, "linters.lint.command: expected a list")]
    [InlineData("command: [lint], env: [A]", 42, "linters.lint.env: expected a mapping")]
    public void ValuesOfTheWrongShapeAreRejected(string body, int column, string message)
    {
        var error = SingleError($"linters: {{ lint: {{ {body} }} }}");

        AssertAt(error, 1, column, message);
    }

    [Fact]
    public void SeveralErrorsInOneFileAreAllReportedInFileOrder()
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""
            linters:
              shellcheck:
                command: []
                format: xml
              nocommand:
                timeout: 5
            repos:
              "bad key!": {}
              myorg:
                linters:
                  shellcheck: { enabled: false }
            extra: 1
            """, "config.yaml"));

        Assert.Equal(
            [(3, 14), (4, 13), (5, 3), (6, 14), (8, 3), (11, 21), (12, 1)],
            exception.Errors.Select(e => (e.Line, e.Column)));
        Assert.Equal(exception.Errors.Select(e => e.ToString()), exception.Message.Split('\n'));
        Assert.StartsWith("config.yaml:3:14: linters.shellcheck.command: must not be empty", exception.Message);
    }

    [Theory]
    [InlineData("linters:\n  lint:\n    command: [lint]\n   args: [x]\n", 4, 4)]
    [InlineData("linters:\n  lint: { command: [lint]\n", 3, 1)]
    [InlineData("linters:\n  lint:\n    command: [lint\n    args: [x]\n", 4, 5)]
    [InlineData("linters: { a: 1 }\nlinters: {}\n", 2, 1)]
    public void MalformedYamlIsReportedWithItsPosition(string yaml, int line, int column)
    {
        var error = SingleError(yaml);

        AssertAt(error, line, column, "malformed YAML: ");
    }

    [Fact]
    public void OnlyOneYamlDocumentIsAllowed()
    {
        var error = SingleError("linters: {}\n---\nrepos: {}\n");

        AssertAt(error, 3, 1, "the file must hold one YAML document");
    }

    [Fact]
    public void TopLevelMustBeAMapping()
    {
        var error = SingleError("- linters\n");

        AssertAt(error, 1, 1, "the file: expected a mapping");
    }

    [Fact]
    public void ErrorReadsLikeACompilerMessage()
    {
        Assert.Equal("c.yaml:3:5: what", new ConfigError("c.yaml", 3, 5, "what").ToString());
        Assert.Equal("c.yaml: what", new ConfigError("c.yaml", 0, 0, "what").ToString());
    }
}
