using Microsoft.Extensions.Options;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Agents.Credentials;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Tests.Infrastructure;

/// <summary>Storage clients on Azurite under a prefix of their own, without the app.</summary>
public static class Stores
{
    public static async Task<StorageAccount> AccountAsync(AzuriteFixture azurite)
    {
        var account = new StorageAccount(Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, Prefix = AzuriteFixture.NewPrefix() }));
        await account.CreateAllAsync(CancellationToken.None);
        return account;
    }
}
