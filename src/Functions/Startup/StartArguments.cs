namespace Qcdc.Functions.Startup;

/// <summary>What the host builders are told before the app's own arguments.</summary>
public static class StartArguments
{
    /// <summary>
    /// Settings are read once at start: a changed setting takes a restart, as with any service, and nothing in the app
    /// reads settings again after start. Watching the settings files (the host builders' default) watches the content
    /// root, the working directory, with all its subfolders: started from a large folder the ReadyToRun package spent
    /// 200 ms of its start on that (measured from /tmp), started in its own folder nothing measurable. An explicit
    /// <c>--hostBuilder:reloadConfigOnChange=true</c> (or the <c>DOTNET_hostBuilder__reloadConfigOnChange</c> variable)
    /// still turns the watching on.
    /// </summary>
    public static string[] ReadSettingsOnce(string[] args) =>
        Environment.GetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange") is not null
            ? args
            : ["--hostBuilder:reloadConfigOnChange=false", .. args];
}
