namespace ReviewBot.Tests.Infrastructure;

/// <summary>Configuration files the integration tests run with.</summary>
public static class Configs
{
    /// <summary>shellcheck on linux agents, and a second linter (any agent) for Markdown files.</summary>
    public const string ShellcheckOnLinux = """
        linters:
          shellcheck:
            languages: [".sh"]
            command: ["shellcheck"]
            args: ["-f", "gcc", "{files}"]
            format: gcc
            nodeLabels: "linux"
            timeout: 00:01:00
          todo-check:
            languages: [".md"]
            command: ["sh", "-c", "grep -n TODO \"$@\" | sed 's/^/README.md:/' ; true", "todo"]
            args: ["{files}"]
            format: gcc
        """;

    public static string Single(string name, string languages, string command, string nodeLabels = "", string timeout = "00:01:00") => $$"""
        linters:
          {{name}}:
            languages: [{{languages}}]
            command: {{command}}
            args: ["{files}"]
            format: gcc
            nodeLabels: "{{nodeLabels}}"
            timeout: {{timeout}}
        """;
}
