using System.CommandLine;
using System.CommandLine.Parsing;
using ReviewBot.Agent.Identity;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Commands;

/// <summary>
/// The root command: <c>reviewbot-agent --server URL [--token T] --labels a,b --capacity N --work-dir DIR [--name NAME] [--exclusive]</c>.
/// The token is needed until the work dir holds the agent's own credential (<see cref="RegisterCommand"/>, or the
/// first connection with the token, which registers).
/// Parsing and validation only; what runs is the delegate given to <see cref="Create"/>.
/// </summary>
internal static class AgentCommand
{
    public const string ServerVariable = "REVIEWBOT_SERVER";
    public const string TokenVariable = "REVIEWBOT_TOKEN";
    public const string DefaultWorkDir = "reviewbot-work";

    /// <param name="run">Runs the agent with validated options; its result is the exit code.</param>
    /// <param name="environment">Reads environment variables (fallbacks for --server and --token); defaults to the process environment.</param>
    public static RootCommand Create(Func<AgentOptions, CancellationToken, Task<int>> run, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;

        var server = new Option<string?>("--server")
        {
            Description = $"Base URL of the ReviewBot server, e.g. https://reviewbot.example.com. Required unless {ServerVariable} is set.",
            HelpName = "URL",
            DefaultValueFactory = _ => environment(ServerVariable),
        };
        var token = new Option<string?>("--token")
        {
            Description = $"Bootstrap token (one of the server's agent tokens). The first start exchanges it for this agent's own " +
                          $"credential, kept in the work dir ({CredentialFile.FileName}, mode 0600); later starts need no token. " +
                          $"Required until then unless {TokenVariable} is set; prefer the variable, so the token does not show in the process list.",
            HelpName = "TOKEN",
            DefaultValueFactory = _ => environment(TokenVariable),
        };
        var labels = new Option<string[]>("--labels")
        {
            Description = "Labels of this agent, comma-separated or repeated (linux,go or os:linux). Tasks are routed by label " +
                          "filters; case is ignored, duplicates and blanks are dropped. Default: none.",
            HelpName = "a,b",
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
        };
        var capacity = new Option<int>("--capacity")
        {
            Description = $"How many tasks this agent runs at the same time (1-{RegistrationRules.MaxCapacity}).",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        var workDir = new Option<string>("--work-dir")
        {
            Description = "Directory for the node id, the agent's credential, the cached clones and the task checkouts (created if missing).",
            HelpName = "DIR",
            DefaultValueFactory = _ => DefaultWorkDir,
        };
        var name = new Option<string?>("--name")
        {
            Description = "Name shown on the dashboard. Default: the machine name.",
            HelpName = "NAME",
        };
        var exclusive = new Option<bool>("--exclusive")
        {
            Description = "Take only tasks whose label filter matches this agent; tasks without a filter go elsewhere.",
        };

        var root = new RootCommand(
            "ReviewBot agent: connects to the ReviewBot server, receives lint tasks that match its labels, " +
            "checks out the repository, runs the linter and reports the findings. " +
            "SIGTERM or Ctrl+C drains (finish running tasks, accept no new ones); a second signal cancels them.")
        {
            server, token, labels, capacity, workDir, name, exclusive,
        };

        root.Validators.Add(result => Validate(result, environment, server, token, labels, capacity, workDir, name));

        root.SetAction(async (parseResult, ct) =>
        {
            var options = new AgentOptions(
                new Uri(parseResult.GetValue(server)!, UriKind.Absolute),
                string.IsNullOrWhiteSpace(parseResult.GetValue(token)) ? null : parseResult.GetValue(token),
                LabelList.Normalize(parseResult.GetValue(labels) ?? []),
                parseResult.GetValue(capacity),
                Path.GetFullPath(parseResult.GetValue(workDir)!),
                string.IsNullOrWhiteSpace(parseResult.GetValue(name)) ? Environment.MachineName : parseResult.GetValue(name)!.Trim(),
                parseResult.GetValue(exclusive));
            return await run(options, ct);
        });
        return root;
    }

    /// <summary>
    /// Checks the effective values. Validators see only the options given on the command line
    /// (defaults are applied later), so the fallbacks are applied here by hand.
    /// </summary>
    private static void Validate(
        CommandResult result,
        Func<string, string?> environment,
        Option<string?> server,
        Option<string?> token,
        Option<string[]> labels,
        Option<int> capacity,
        Option<string> workDir,
        Option<string?> name)
    {
        if (result.Children.OfType<CommandResult>().Any())
        {
            // A subcommand (e.g. lint-output) was given: the agent's own options do not apply.
            return;
        }

        var url = Given(result, server) ?? environment(ServerVariable);
        if (string.IsNullOrWhiteSpace(url))
        {
            result.AddError($"--server is required (or set {ServerVariable}).");
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            result.AddError($"--server must be an absolute http:// or https:// URL, got '{url}'.");
        }

        var dir = Given(result, workDir);
        if (string.IsNullOrWhiteSpace(Given(result, token) ?? environment(TokenVariable))
            && !File.Exists(CredentialFile.PathIn(Path.GetFullPath(string.IsNullOrWhiteSpace(dir) ? DefaultWorkDir : dir))))
        {
            result.AddError($"--token is required (or set {TokenVariable}) until the work dir holds this agent's credential " +
                            "(the first start with the token, or 'reviewbot-agent register', stores it).");
        }

        if (result.GetResult(capacity) is { Implicit: false } capacityResult && capacityResult.GetValueOrDefault<int>() is < 1 or > RegistrationRules.MaxCapacity)
        {
            result.AddError($"--capacity must be 1-{RegistrationRules.MaxCapacity}, got {capacityResult.GetValueOrDefault<int>()}.");
        }

        if (NameProblem(Given(result, name)) is { } nameProblem)
        {
            result.AddError(nameProblem);
        }

        if (result.GetResult(workDir) is { Implicit: false } && string.IsNullOrWhiteSpace(Given(result, workDir)))
        {
            result.AddError("--work-dir must not be empty.");
        }

        var normalized = LabelList.Normalize(Given(result, labels) ?? []);
        foreach (var error in LabelList.Validate(normalized))
        {
            result.AddError($"--labels: {error}.");
        }

        if (RegistrationRules.LabelsProblem(normalized) is { } labelsProblem)
        {
            result.AddError($"--labels: {labelsProblem}.");
        }
    }

    /// <summary>What the server would refuse in a --name (too long, control characters), or null.</summary>
    public static string? NameProblem(string? name) =>
        name is not null && (name.Trim().Length > RegistrationRules.MaxNameLength || !RegistrationRules.IsPlainText(name))
            ? $"--name must be at most {RegistrationRules.MaxNameLength} characters without control or formatting characters."
            : null;

    private static T? Given<T>(CommandResult result, Option<T> option) =>
        result.GetResult(option) is { Implicit: false } given ? given.GetValueOrDefault<T>() : default;
}
