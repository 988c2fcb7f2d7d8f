using System.CommandLine;
using ReviewBot.Agent.Connection;
using ReviewBot.Agent.Identity;

namespace ReviewBot.Agent.Commands;

/// <summary>
/// <c>reviewbot-agent register --server URL --token BOOTSTRAP [--work-dir DIR] [--name NAME]</c>: exchanges the bootstrap
/// token for this agent's own credential, bound to the node id of the work dir, and stores it there
/// (<see cref="CredentialFile"/>, mode 0600). When the work dir already holds a credential for the server, that
/// credential renews itself instead (a new secret; the old one stops working). Prints where the credential is, never
/// the credential. Exit codes: 0 registered; 1 the server could not be reached; 2 the server refused (with its reason).
/// </summary>
internal static class RegisterCommand
{
    public const int ExitOk = 0;
    public const int ExitUnreachable = 1;
    public const int ExitRefused = 2;

    public static Command Create(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var server = new Option<string?>("--server")
        {
            Description = $"Base URL of the ReviewBot server. Required unless {AgentCommand.ServerVariable} is set.",
            HelpName = "URL",
            DefaultValueFactory = _ => environment(AgentCommand.ServerVariable),
        };
        var token = new Option<string?>("--token")
        {
            Description = $"Bootstrap token: one of the server's agent tokens (ReviewBot:Agents:Tokens). Required unless {AgentCommand.TokenVariable} is set.",
            HelpName = "TOKEN",
            DefaultValueFactory = _ => environment(AgentCommand.TokenVariable),
        };
        var workDir = new Option<string>("--work-dir")
        {
            Description = "The agent's work dir: its node id is read (or created) there and the credential stored there.",
            HelpName = "DIR",
            DefaultValueFactory = _ => AgentCommand.DefaultWorkDir,
        };
        var name = new Option<string?>("--name")
        {
            Description = "Name the server records with the credential. Default: the machine name.",
            HelpName = "NAME",
        };
        var command = new Command("register", "Exchange a bootstrap token for this agent's own credential and store it in the work dir (mode 0600).")
        {
            server, token, workDir, name,
        };
        command.Validators.Add(result =>
        {
            var url = result.GetValue(server);
            if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                result.AddError($"--server must be an absolute http:// or https:// URL (or set {AgentCommand.ServerVariable}).");
            if (string.IsNullOrWhiteSpace(result.GetValue(token)))
                result.AddError($"--token is required (or set {AgentCommand.TokenVariable}).");
            if (string.IsNullOrWhiteSpace(result.GetValue(workDir)))
                result.AddError("--work-dir must not be empty.");
            if (AgentCommand.NameProblem(result.GetValue(name)) is { } problem)
                result.AddError(problem);
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var serverUrl = new Uri(parseResult.GetValue(server)!, UriKind.Absolute);
            var dir = Path.GetFullPath(parseResult.GetValue(workDir)!);
            var displayName = string.IsNullOrWhiteSpace(parseResult.GetValue(name)) ? Environment.MachineName : parseResult.GetValue(name)!.Trim();
            return await RunAsync(serverUrl, parseResult.GetValue(token)!, dir, displayName, output, error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(Uri server, string bootstrap, string workDir, string name, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var identity = NodeIdentity.Load(workDir);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            CredentialFile? current = null;
            try { current = CredentialFile.Load(workDir); }
            catch (InvalidDataException e) { await error.WriteLineAsync($"warning: {e.Message} It is replaced."); }
            var renew = current is not null && current.IsFor(server) && current.NodeId == identity.NodeId;
            Contracts.Agents.AgentCredentialResponse issued;
            try
            {
                issued = await CredentialExchange.ExchangeAsync(http, server, renew ? current!.Credential : bootstrap, identity.NodeId, name, cancellationToken);
            }
            catch (RegistrationRefusedException) when (renew)
            {
                // The stored credential is no longer valid on the server (deleted, or the server's storage was reset).
                issued = await CredentialExchange.ExchangeAsync(http, server, bootstrap, identity.NodeId, name, cancellationToken);
            }
            new CredentialFile(CredentialFile.Normalize(server.AbsoluteUri), issued.NodeId, issued.Credential).Save(workDir);
            await output.WriteLineAsync($"{(renew ? "Renewed the credential of" : "Registered")} node {identity.NodeId} ({name}) with {server}.");
            await output.WriteLineAsync($"Its credential is in {CredentialFile.PathIn(workDir)} (readable by this user only); start the agent with --work-dir {workDir} and without --token.");
            return ExitOk;
        }
        catch (RegistrationRefusedException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitRefused;
        }
        catch (CredentialsNotSupportedException e)
        {
            await error.WriteLineAsync($"{e.Message}: upgrade the server, or start the agent with --token (a shared token).");
            return ExitRefused;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"could not reach {server}: {e.Message}");
            return ExitUnreachable;
        }
    }
}
