namespace Qcdc.Security;

/// <summary>Bound from the <c>Security</c> section.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>The secret of the keyed hash under which API keys are stored (at least 32 characters).</summary>
    public string? KeyHashSecret { get; set; }

    /// <summary>How long a verified key is trusted before it is read again (revocation takes effect within it).</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
