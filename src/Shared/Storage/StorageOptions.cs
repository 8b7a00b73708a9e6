namespace Qcdc.Storage;

/// <summary>Where the app keeps its tables and blobs. Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The development storage (Azurite on its default ports).</summary>
    public const string DevelopmentConnectionString = "UseDevelopmentStorage=true";

    /// <summary>A storage connection string (Azurite, a single server, or an Azure account with a key).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Table endpoint used with <c>DefaultAzureCredential</c> when no connection string is given.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Blob endpoint used with <c>DefaultAzureCredential</c> when no connection string is given.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Prefix for every table and container name, so that several apps (or test runs) share one account.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Retries of one storage call (within the request's budget).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Time one try of a storage call may take on the network before it is abandoned.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The time every storage call of one HTTP request shares, retries included; past it the request answers 503
    /// at once. Timer jobs have their own budget (<c>Jobs:Budget</c>).
    /// </summary>
    public TimeSpan RequestBudget { get; set; } = TimeSpan.FromSeconds(5);

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);

    public bool UsesDevelopmentStorage =>
        string.Equals(ConnectionString?.Trim().TrimEnd(';'), DevelopmentConnectionString, StringComparison.OrdinalIgnoreCase);

    /// <summary>Names each setting that is missing or wrong; empty when the options can be used.</summary>
    public IEnumerable<string> Problems()
    {
        if (!UsesConnectionString && (TableServiceUri is null || BlobServiceUri is null))
        {
            yield return "Set Storage:ConnectionString, or both Storage:TableServiceUri and Storage:BlobServiceUri.";
        }
        if (!StorageNames.IsValidPrefix(Prefix))
        {
            yield return "Storage:Prefix must be empty or start with a letter and hold only letters and digits (at most 20).";
        }
        if (MaxRetries is < 0 or > 10)
        {
            yield return "Storage:MaxRetries must be between 0 and 10.";
        }
        if (RequestBudget < TimeSpan.FromMilliseconds(100) || RequestBudget > TimeSpan.FromMinutes(5))
        {
            yield return "Storage:RequestBudget must be between 100 ms and 5 minutes.";
        }
    }
}
