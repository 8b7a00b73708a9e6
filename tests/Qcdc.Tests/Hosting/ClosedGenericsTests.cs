using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qcdc.Functions.Hosting;
using Qcdc.Storage;

namespace Qcdc.Tests.Hosting;

/// <summary>
/// The closed options and logger registrations replace the framework's open-generic ones for the start's types: they
/// must behave exactly as those do.
/// </summary>
public sealed class ClosedGenericsTests
{
    [Fact]
    public void OptionsAreBoundConfiguredAndValidatedAsWithTheFrameworksRegistrations()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<StorageOptions>()
            .Configure(o => o.Prefix = "qcdc")
            .PostConfigure(o => o.Prefix += "x")
            .Validate(o => o.Prefix.Length > 0, "prefix");
        services.AddClosedGenerics();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var options = provider.GetRequiredService<IOptions<StorageOptions>>();
        Assert.Equal("qcdcx", options.Value.Prefix);
        Assert.Same(options.Value, options.Value);
        Assert.Equal("qcdcx", provider.GetRequiredService<IOptionsMonitor<StorageOptions>>().CurrentValue.Prefix);
        Assert.Equal("qcdcx", provider.GetRequiredService<IOptionsFactory<StorageOptions>>().Create(Options.DefaultName).Prefix);
        // Closed registrations, not the framework's open-generic ones, answer for the start's types.
        Assert.Equal(typeof(OptionsMonitor<StorageOptions>),
            services.Last(d => d.ServiceType == typeof(IOptionsMonitor<StorageOptions>)).ImplementationType);
    }

    [Fact]
    public void AnInvalidValueIsNotKeptSoThatTheNextReadTriesAgain()
    {
        var valid = false;
        var services = new ServiceCollection();
        services.AddOptions<StorageOptions>().Validate(_ => valid, "not yet valid");
        services.AddClosedGenerics();
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<StorageOptions>>();

        var refused = Assert.Throws<OptionsValidationException>(() => options.Value);
        Assert.Contains("not yet valid", refused.Message, StringComparison.Ordinal);
        valid = true;
        Assert.NotNull(options.Value);
    }

    [Fact]
    public void LoggersWriteUnderTheirTypesCategory()
    {
        var categories = new List<string>();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(new CategoryRecorder(categories)));
        services.AddClosedGenerics();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<ILogger<StorageInitializer>>().LogWarning("storage is slow");

        Assert.Equal([typeof(StorageInitializer).FullName!], categories);
    }

    private sealed class CategoryRecorder(List<string> categories) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, categories);

        public void Dispose()
        {
        }

        private sealed class Recorder(string category, List<string> categories) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                categories.Add(category);
        }
    }
}
