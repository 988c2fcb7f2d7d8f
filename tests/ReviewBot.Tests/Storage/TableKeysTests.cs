using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Agents.Credentials;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Tests.Storage;

public class TableKeysTests
{
    [Theory]
    [InlineData("octo/repo", "octo%2Frepo")]
    [InlineData(@"a\b#c?d%e", "a%5Cb%23c%3Fd%25e")]
    [InlineData("plain-id_1", "plain-id_1")]
    public void Escape_RemovesCharactersTablesForbid_AndRoundTrips(string raw, string escaped)
    {
        Assert.Equal(escaped, TableKeys.Escape(raw));
        Assert.Equal(raw, TableKeys.Unescape(TableKeys.Escape(raw)));
    }
}
