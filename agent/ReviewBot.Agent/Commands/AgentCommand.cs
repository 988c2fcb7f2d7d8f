using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ReviewBot.Agent.Identity;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Commands;

/// <summary>
/// The root command: <c>reviewbot-agent [--config agent.yaml] --server URL [--token T | --token-file F] --labels a,b
/// --capacity N --work-dir DIR [--name NAME] [--exclusive] [--once] [--idle-exit 10m] [--hook-pre-task X] [--hook-post-task Y]</c>.
/// Each setting comes from its flag, else (server, token) its environment variable, else the config file
/// (<see cref="AgentConfigFile"/>), else its default. The token is needed until the work dir holds the agent's own
/// credential (<see cref="RegisterCommand"/>, or the first connection with the token, which registers).
/// Parsing and validation only; what runs is the delegate given to <see cref="Create"/>.
/// </summary>
internal static class AgentCommand
{
    public const string ServerVariable = "REVIEWBOT_SERVER";
    public const string TokenVariable = "REVIEWBOT_TOKEN";
    public const string ConfigVariable = "REVIEWBOT_CONFIG";
    public const string DefaultWorkDir = "reviewbot-work";

    /// <param name="run">Runs the agent with validated options; its result is the exit code.</param>
    /// <param name="environment">Reads environment variables (fallbacks for --server, --token, --config); defaults to the process environment.</param>
    public static RootCommand Create(Func<AgentOptions, CancellationToken, Task<int>> run, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var flags = new Flags();
        var root = new RootCommand(
            "ReviewBot agent: connects to the ReviewBot server, receives lint tasks that match its labels, " +
            "checks out the repository, runs the linter and reports the findings. " +
            "SIGTERM or Ctrl+C drains (finish running tasks, accept no new ones); a second signal cancels them. " +
            "Exit codes: 0 stopped normally (with --once: a task ran), 1 failure, 2 refused by the server, 3 with --once: no task ran.");
        foreach (var option in flags.All)
        {
            root.Add(option);
        }

        var configs = new Dictionary<string, AgentConfigFile>(StringComparer.Ordinal);
        root.Validators.Add(result =>
        {
            if (result.Children.OfType<CommandResult>().Any())
            {
                return; // A subcommand (e.g. lint-output) was given: the agent's own options do not apply.
            }

            foreach (var error in Resolve(result, flags, environment, configs).Errors)
            {
                result.AddError(error);
            }
        });
        root.SetAction(async (parseResult, ct) => await run(Resolve(parseResult.CommandResult, flags, environment, configs).Options!, ct));
        return root;
    }

    /// <summary>The flags, one place for their names and help.</summary>
    private sealed class Flags
    {
        public readonly Option<string?> Config = new("--config")
        {
            Description = $"YAML file with any of these settings (server, tokenFile, labels, capacity, workDir, name, exclusive, once, " +
                          $"idleExit, hookPreTask, hookPostTask); flags override it. Default: {ConfigVariable} if set.",
            HelpName = "FILE",
        };

        public readonly Option<string?> Server = new("--server")
        {
            Description = $"Base URL of the ReviewBot server, e.g. https://reviewbot.example.com. Required unless {ServerVariable} or the config file sets it.",
            HelpName = "URL",
        };

        public readonly Option<string?> Token = new("--token")
        {
            Description = $"Bootstrap token (one of the server's agent tokens). The first start exchanges it for this agent's own " +
                          $"credential, kept in the work dir ({CredentialFile.FileName}, mode 0600); later starts need no token. " +
                          $"Required until then unless --token-file, {TokenVariable} or the config file's tokenFile gives it; prefer those, " +
                          "so the token does not show in the process list.",
            HelpName = "TOKEN",
        };

        public readonly Option<string?> TokenFile = new("--token-file")
        {
            Description = "File holding the bootstrap token (surrounding whitespace ignored).",
            HelpName = "FILE",
        };

        public readonly Option<string[]> Labels = new("--labels")
        {
            Description = "Labels of this agent, comma-separated or repeated (linux,go or os:linux). Tasks are routed by label " +
                          "filters; case is ignored, duplicates and blanks are dropped. Default: none.",
            HelpName = "a,b",
            AllowMultipleArgumentsPerToken = false,
        };

        public readonly Option<int> Capacity = new("--capacity")
        {
            Description = $"How many tasks this agent runs at the same time (1-{RegistrationRules.MaxCapacity}). Default: 1.",
            HelpName = "N",
        };

        public readonly Option<string?> WorkDir = new("--work-dir")
        {
            Description = $"Directory for the node id, the agent's credential, the cached clones and the task checkouts (created if missing). Default: ./{DefaultWorkDir}.",
            HelpName = "DIR",
        };

        public readonly Option<string?> Name = new("--name")
        {
            Description = "Name shown on the dashboard. Default: the machine name.",
            HelpName = "NAME",
        };

        public readonly Option<bool> Exclusive = new("--exclusive")
        {
            Description = "Take only tasks whose label filter matches this agent; tasks without a filter go elsewhere.",
        };

        public readonly Option<bool> Once = new("--once")
        {
            Description = "Ephemeral agent: take exactly one task, run it, report it and exit (capacity 1; the server never assigns it a second task). " +
                          "Exit code 0 when a task ran, 3 when none did (--idle-exit, or a shutdown signal first).",
        };

        public readonly Option<string?> IdleExit = new("--idle-exit")
        {
            Description = "Exit when no task arrived for this long (90s, 10m, 1h or 00:10:00), counted from the start and from the end of the last task.",
            HelpName = "DURATION",
        };

        public readonly Option<string?> HookPreTask = new("--hook-pre-task")
        {
            Description = "Executable run before each task is accepted, with the task's metadata in REVIEWBOT_* variables. " +
                          "A non-zero exit refuses the task (the server gives it to another agent, with the hook's output as the reason).",
            HelpName = "PATH",
        };

        public readonly Option<string?> HookPostTask = new("--hook-post-task")
        {
            Description = "Executable run after each task, with the task's metadata and REVIEWBOT_TASK_OUTCOME in the environment. Its exit code is logged only.",
            HelpName = "PATH",
        };

        public IEnumerable<Option> All => [Config, Server, Token, TokenFile, Labels, Capacity, WorkDir, Name, Exclusive, Once, IdleExit, HookPreTask, HookPostTask];
    }

    private sealed record Resolution(AgentOptions? Options, IReadOnlyList<string> Errors);

    /// <summary>
    /// The effective settings: flag, else environment variable (server, token), else config file, else default.
    /// Validators see only the options given on the command line, so every fallback is applied here, once, for both
    /// the validator and the action.
    /// </summary>
    private static Resolution Resolve(CommandResult result, Flags f, Func<string, string?> environment, Dictionary<string, AgentConfigFile> configs)
    {
        var errors = new List<string>();
        AgentConfigFile? config = null;
        var configPath = Given(result, f.Config) ?? environment(ConfigVariable);
        if (!string.IsNullOrWhiteSpace(configPath))
        {
            var full = Path.GetFullPath(configPath);
            if (!configs.TryGetValue(full, out config))
            {
                configs[full] = config = AgentConfigFile.Load(full);
            }

            errors.AddRange(config.Errors);
        }

        string? FromFile(string key) => config?.Get(key);

        var url = Given(result, f.Server) ?? environment(ServerVariable) ?? FromFile("server");
        Uri? server = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            errors.Add($"--server is required (or set {ServerVariable}); a config file may give it as server:.");
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out server) || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"--server must be an absolute http:// or https:// URL, got '{url}'.");
        }

        var workDirText = Given(result, f.WorkDir) ?? FromFile("workDir");
        if (result.GetResult(f.WorkDir) is { Implicit: false } && string.IsNullOrWhiteSpace(workDirText))
        {
            errors.Add("--work-dir must not be empty.");
        }

        var workDir = Path.GetFullPath(string.IsNullOrWhiteSpace(workDirText) ? DefaultWorkDir : workDirText);

        var token = Given(result, f.Token);
        if (string.IsNullOrWhiteSpace(token))
        {
            token = null;
            var tokenFile = Given(result, f.TokenFile);
            if (tokenFile is null && environment(TokenVariable) is { Length: > 0 } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
            {
                token = fromEnvironment;
            }
            else if ((tokenFile ?? FromFile("tokenFile")) is { Length: > 0 } file)
            {
                token = ReadTokenFile(file, errors);
            }
        }

        if (token is null && !File.Exists(CredentialFile.PathIn(workDir)))
        {
            errors.Add($"--token is required (or set {TokenVariable}), or a file holding it (--token-file, or tokenFile: in the config file), until the work dir holds this agent's credential " +
                       "(the first start with the token, or 'reviewbot-agent register', stores it).");
        }

        var capacity = 1;
        if (result.GetResult(f.Capacity) is { Implicit: false } capacityResult)
        {
            capacity = capacityResult.GetValueOrDefault<int>();
        }
        else if (FromFile("capacity") is { } capacityText && !int.TryParse(capacityText, NumberStyles.Integer, CultureInfo.InvariantCulture, out capacity))
        {
            errors.Add($"capacity: expected a whole number, got '{capacityText}' in {config!.Path}.");
            capacity = 1;
        }

        if (capacity is < 1 or > RegistrationRules.MaxCapacity)
        {
            errors.Add($"--capacity must be 1-{RegistrationRules.MaxCapacity}, got {capacity}.");
        }

        var name = Given(result, f.Name) ?? FromFile("name");
        if (NameProblem(name) is { } nameProblem)
        {
            errors.Add(nameProblem);
        }

        var labelValues = Given(result, f.Labels) is { Length: > 0 } givenLabels ? givenLabels : FromFile("labels") is { } fileLabels ? [fileLabels] : [];
        var labels = LabelList.Normalize(labelValues);
        foreach (var error in LabelList.Validate(labels))
        {
            errors.Add($"--labels: {error}.");
        }

        if (RegistrationRules.LabelsProblem(labels) is { } labelsProblem)
        {
            errors.Add($"--labels: {labelsProblem}.");
        }

        var exclusive = Switch(result, f.Exclusive, FromFile("exclusive"), "exclusive", errors);
        var once = Switch(result, f.Once, FromFile("once"), "once", errors);
        if (once && capacity != 1)
        {
            errors.Add($"--once runs exactly one task: --capacity must be 1, got {capacity}.");
        }

        TimeSpan? idleExit = null;
        if ((Given(result, f.IdleExit) ?? FromFile("idleExit")) is { } idleText)
        {
            if (DurationText.TryParse(idleText, out var idle) && idle > TimeSpan.Zero)
            {
                idleExit = idle;
            }
            else
            {
                errors.Add($"--idle-exit must be a positive duration (90s, 10m, 1h or 00:10:00), got '{idleText}'.");
            }
        }

        var preHook = Hook(Given(result, f.HookPreTask) ?? FromFile("hookPreTask"), "--hook-pre-task", errors);
        var postHook = Hook(Given(result, f.HookPostTask) ?? FromFile("hookPostTask"), "--hook-post-task", errors);

        if (errors.Count > 0 || server is null)
        {
            return new Resolution(null, errors);
        }

        return new Resolution(
            new AgentOptions(
                server,
                token,
                labels,
                capacity,
                workDir,
                string.IsNullOrWhiteSpace(name) ? Environment.MachineName : name.Trim(),
                exclusive)
            {
                Once = once,
                IdleExit = idleExit,
                HookPreTask = preHook,
                HookPostTask = postHook,
                ConfigFile = config?.Path,
            },
            errors);
    }

    private static string? ReadTokenFile(string path, List<string> errors)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            if (text.Length == 0)
            {
                errors.Add($"--token-file: {path} is empty.");
                return null;
            }

            return text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"--token-file: cannot read {path}: {e.Message}");
            return null;
        }
    }

    private static bool Switch(CommandResult result, Option<bool> option, string? fromFile, string key, List<string> errors)
    {
        if (result.GetResult(option) is { Implicit: false } given)
        {
            return given.GetValueOrDefault<bool>();
        }

        if (fromFile is null)
        {
            return false;
        }

        if (bool.TryParse(fromFile, out var value))
        {
            return value;
        }

        errors.Add($"{key}: expected true or false, got '{fromFile}'.");
        return false;
    }

    private static string? Hook(string? path, string flag, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            errors.Add($"{flag}: no such file '{full}'.");
        }

        return full;
    }

    /// <summary>What the server would refuse in a --name (too long, control characters), or null.</summary>
    public static string? NameProblem(string? name) =>
        name is not null && (name.Trim().Length > RegistrationRules.MaxNameLength || !RegistrationRules.IsPlainText(name))
            ? $"--name must be at most {RegistrationRules.MaxNameLength} characters without control or formatting characters."
            : null;

    private static T? Given<T>(CommandResult result, Option<T> option) =>
        result.GetResult(option) is { Implicit: false } given ? given.GetValueOrDefault<T>() : default;
}
