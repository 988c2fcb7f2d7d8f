using ReviewBot.Agent.Identity;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Identity;

public class CredentialFileTests
{
    [Fact]
    public void IsWrittenReadableByItsUserOnly_AndReadBack()
    {
        using var workDir = new TempDirectory();
        var file = new CredentialFile("https://reviewbot.example.com", "node-1", "node-1:s3cret");

        file.Save(workDir.Path);
        file.Save(workDir.Path); // replacing keeps the mode

        Assert.Equal(file, CredentialFile.Load(workDir.Path));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(CredentialFile.PathIn(workDir.Path)));
        Assert.False(CredentialFile.IsExposed(workDir.Path));
        Assert.Empty(Directory.GetFiles(workDir.Path, "*.tmp"));
    }

    [Fact]
    public void IsUsedOnlyForTheServerThatIssuedIt_AndNeverPrintsTheCredential()
    {
        var file = new CredentialFile("https://reviewbot.example.com/base", "node-1", "node-1:s3cret");

        Assert.True(file.IsFor(new Uri("https://reviewbot.example.com/base/")));
        Assert.False(file.IsFor(new Uri("https://elsewhere.example.com/base/")));
        Assert.False(file.IsFor(new Uri("http://reviewbot.example.com/base/")));
        Assert.DoesNotContain("s3cret", file.ToString());
    }

    [Fact]
    public void AFileThatIsNotACredential_IsAnError_NotIgnored()
    {
        using var workDir = new TempDirectory();
        File.WriteAllText(CredentialFile.PathIn(workDir.Path), "not json");

        Assert.Null(CredentialFile.Load(workDir.Combine("elsewhere")));
        Assert.Throws<InvalidDataException>(() => CredentialFile.Load(workDir.Path));
    }
}
