using ReviewBot.Functions.Reminders.Chat.Commands;

namespace ReviewBot.Tests.Reminders.Chat.Commands;

public class ChatCommandTests
{
    [Theory]
    [InlineData("4h", 4 * 60)]
    [InlineData("1d12h", 36 * 60)]
    [InlineData("30d", 30 * 24 * 60)]
    public void Snooze_TakesADurationWithDays(string duration, int minutes) =>
        Assert.Equal(new ChatCommand.Snooze("o/r", 7, TimeSpan.FromMinutes(minutes)), ChatCommand.Parse($"snooze o/r#7 {duration}"));

    [Theory]
    [InlineData("31d")]
    [InlineData("0m")]
    [InlineData("99999999999d")] // more days than an int holds: refused like any bad duration, never an exception
    public void Snooze_RefusesADurationOutOfRange(string duration) =>
        Assert.StartsWith($"'{duration}' is not a duration", Assert.IsType<ChatCommand.Invalid>(ChatCommand.Parse($"snooze o/r#7 {duration}")).Problem);
}
