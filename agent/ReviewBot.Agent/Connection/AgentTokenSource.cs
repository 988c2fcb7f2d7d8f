using Microsoft.Extensions.Logging;
using ReviewBot.Agent.Commands;
using ReviewBot.Agent.Identity;

namespace ReviewBot.Agent.Connection;

/// <summary>
/// The token the agent connects with. Its own credential (<see cref="CredentialFile"/>) when the work dir holds one
/// for this server and node; otherwise, given a bootstrap token (<c>--token</c>), it first exchanges that for a
/// credential (<see cref="CredentialExchange"/>) and stores it, so this first connection is also the agent's
/// registration. A server that does not issue credentials gets the token itself (a shared token, as before).
/// When the server refuses the credential (401) the agent registers again once if it has a bootstrap token (the
/// server may have lost or deleted it); otherwise, or when that is refused too (e.g. revoked), it stops with the
/// server's reason. Neither the token nor the credential is ever logged.
/// </summary>
internal sealed partial class AgentTokenSource(
    AgentOptions options, NodeIdentity identity, HttpClient http, JitteredBackoff backoff, TimeProvider time, ILogger logger)
{
    private bool _renewedSinceConnect;

    /// <summary>What the connection sends; set by <see cref="PrepareAsync"/>.</summary>
    public string? Token { get; private set; }

    /// <summary>True while <see cref="Token"/> is the agent's own credential.</summary>
    public bool IsOwnCredential { get; private set; }

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var stored = CredentialFile.Load(options.WorkDir);
        if (stored is not null && stored.IsFor(options.Server) && stored.NodeId == identity.NodeId)
        {
            if (CredentialFile.IsExposed(options.WorkDir)) Log.CredentialExposed(logger, CredentialFile.PathIn(options.WorkDir));
            Token = stored.Credential;
            IsOwnCredential = true;
            return;
        }

        if (stored is not null) Log.CredentialNotForThisServer(logger, stored.ToString(), options.Server, identity.NodeId);
        if (string.IsNullOrEmpty(options.Token))
        {
            throw new RegistrationRefusedException(
                $"{CredentialFile.PathIn(options.WorkDir)} holds no credential for {options.Server} and no --token was given to register with; run 'reviewbot-agent register'");
        }

        await RegisterAsync(options.Token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The connection is up: a later 401 may register again.</summary>
    public void Connected() => _renewedSinceConnect = false;

    /// <summary>The server answered 401 to <see cref="Token"/>. Registers again with the bootstrap token once (until the
    /// next successful connect); otherwise throws <see cref="RegistrationRefusedException"/> with the server's reason.</summary>
    public async Task RecoverFromUnauthorizedAsync(Uri hubUrl, CancellationToken cancellationToken)
    {
        var reason = await CredentialExchange.RefusalOfAsync(http, hubUrl, Token, cancellationToken).ConfigureAwait(false);
        if (!IsOwnCredential || string.IsNullOrEmpty(options.Token) || _renewedSinceConnect)
        {
            throw new RegistrationRefusedException($"the server does not accept this agent's token ({reason})");
        }

        Log.CredentialRefused(logger, reason);
        _renewedSinceConnect = true;
        await RegisterAsync(options.Token, cancellationToken).ConfigureAwait(false);
    }

    private async Task RegisterAsync(string bootstrap, CancellationToken cancellationToken)
    {
        for (var attempt = 0L; ; attempt++)
        {
            try
            {
                var issued = await CredentialExchange.ExchangeAsync(http, options.Server, bootstrap, identity.NodeId, options.Name, cancellationToken).ConfigureAwait(false);
                new CredentialFile(CredentialFile.Normalize(options.Server.AbsoluteUri), issued.NodeId, issued.Credential).Save(options.WorkDir);
                Token = issued.Credential;
                IsOwnCredential = true;
                Log.CredentialIssued(logger, identity.NodeId, CredentialFile.PathIn(options.WorkDir));
                return;
            }
            catch (CredentialsNotSupportedException e)
            {
                Log.SharedToken(logger, e.Message);
                Token = bootstrap;
                IsOwnCredential = false;
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var delay = backoff.Delay(attempt);
                Log.ExchangeFailed(logger, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(220, LogLevel.Information, "Registered node {NodeId}: its credential is stored in {Path} (readable by this user only).", EventName = "CredentialIssued")]
        public static partial void CredentialIssued(ILogger logger, string nodeId, string path);

        [LoggerMessage(221, LogLevel.Warning, "Connecting with the shared token: {Reason}.", EventName = "SharedToken")]
        public static partial void SharedToken(ILogger logger, string reason);

        [LoggerMessage(222, LogLevel.Warning, "Could not get a credential ({Reason}); retrying in {Seconds:0.0} s.", EventName = "CredentialExchangeFailed")]
        public static partial void ExchangeFailed(ILogger logger, string reason, double seconds);

        [LoggerMessage(223, LogLevel.Warning, "The stored {Credential} is not for {Server} and node {NodeId}; registering with --token.", EventName = "CredentialNotForThisServer")]
        public static partial void CredentialNotForThisServer(ILogger logger, string credential, Uri server, string nodeId);

        [LoggerMessage(224, LogLevel.Warning, "{Path} can be read by other users: chmod 600 it.", EventName = "CredentialExposed")]
        public static partial void CredentialExposed(ILogger logger, string path);

        [LoggerMessage(225, LogLevel.Warning, "The server refused this agent's credential ({Reason}); registering again with --token.", EventName = "CredentialRefused")]
        public static partial void CredentialRefused(ILogger logger, string reason);
    }
}
