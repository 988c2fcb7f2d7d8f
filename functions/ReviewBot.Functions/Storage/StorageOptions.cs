using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Agents.Credentials;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Tasks;
using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Storage;

/// <summary>Settings under <c>ReviewBot:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "ReviewBot:Storage";

    /// <summary>Azure Storage connection string; Azurite's development string by default.</summary>
    [Required]
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Prefix of every table and blob container name (letters and digits, starting with a letter),
    /// so that several ReviewBots, or several tests, share one account.</summary>
    [Required, RegularExpression("^[a-z][a-z0-9]{0,29}$", ErrorMessage = "TablePrefix must be lower-case letters and digits, starting with a letter, at most 30 characters.")]
    public string Prefix { get; set; } = "reviewbot";
}
