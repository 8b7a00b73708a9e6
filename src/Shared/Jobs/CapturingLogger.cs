using Microsoft.Extensions.Logging;

namespace Qcdc.Jobs;

/// <summary>
/// Forwards to the app's logger and keeps the formatted lines of one job run, which the Functions host writes
/// to its own log when they come back in the invocation's <c>Logs</c> array.
/// </summary>
internal sealed class CapturingLogger(ILogger inner) : ILogger
{
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        inner.Log(logLevel, eventId, state, exception, formatter);
        if (logLevel < LogLevel.Information)
        {
            return;
        }
        var line = $"{logLevel}: {formatter(state, exception)}";
        lock (_gate)
        {
            _lines.Add(line);
        }
    }
}
