using Azure;
using Microsoft.AspNetCore.Http;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Tests.Storage;

/// <summary>Which failures answer 503 "Storage unavailable": storage's, never the client's own body.</summary>
public sealed class StorageOutageClassificationTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new RequestFailedException(0, "connection reset"), true },
        { new RequestFailedException(503, "server busy"), true },
        { new RequestFailedException(429, "throttled"), true },
        { new AggregateException(new RequestFailedException("reset", new IOException("reset by peer")), new TaskCanceledException()), true },
        { new AggregateException(new HttpRequestException("refused"), new IOException("reset")), true },
        { new TimeoutException(), true },
        { new RequestFailedException(409, "conflict"), false },
        { new RequestFailedException(412, "precondition failed"), false },
        { new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge), false },
        { new BadHttpRequestException("Reading the request body timed out.", StatusCodes.Status408RequestTimeout), false },
        { new AggregateException(new BadHttpRequestException("too large", 413)), false },
        { new IOException("the client's body ended early"), false },
        { new InvalidOperationException("a bug"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void OnlyStoragesFailures_AreOutages_NeverTheClientsBody(Exception failure, bool outage) =>
        Assert.Equal(outage, StorageOutageHandler.IsOutage(failure));
}
