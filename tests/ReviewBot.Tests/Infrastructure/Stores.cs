using Microsoft.Extensions.Options;
using ReviewBot.Functions.Storage;

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
