using System.Globalization;

namespace Qcdc.Development.DevStorage;

/// <summary>
/// Which program listens on a loopback port, read from Linux's <c>/proc</c> (the listening socket's inode, the
/// process holding it, its command line and working folder). Elsewhere, or when the owner cannot be read, the
/// answer is "not ours", so the app starts its own storage rather than share someone else's.
/// </summary>
public static class PortOwner
{
    /// <summary>True when the port is held by an Azurite whose data folder is <paramref name="dataPath"/>.</summary>
    public static bool IsAzuriteWithData(int port, string dataPath)
    {
        try
        {
            if (!OperatingSystem.IsLinux() || ProcessOf(port) is not { } pid)
            {
                return false;
            }
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            var workingFolder = new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget ?? "/";
            var location = Array.IndexOf(arguments, "--location");
            return arguments.Any(a => a.Contains("azurite", StringComparison.OrdinalIgnoreCase))
                && location >= 0 && location + 1 < arguments.Length
                && string.Equals(Path.GetFullPath(Path.Combine(workingFolder, arguments[location + 1])).TrimEnd('/'), Path.GetFullPath(dataPath).TrimEnd('/'), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The process listening on the port, or null when it cannot be found.</summary>
    public static int? ProcessOf(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // local_address is HEXIP:HEXPORT, st 0A is LISTEN, the inode is the tenth field.
                if (fields.Length > 9 && fields[3] == "0A"
                    && int.Parse(fields[1][(fields[1].IndexOf(':', StringComparison.Ordinal) + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    inodes.Add($"socket:[{fields[9]}]");
                }
            }
        }
        if (inodes.Count == 0)
        {
            return null;
        }
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                if (Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")).Any(fd => new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)))
                {
                    return pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's process, or one that just ended.
            }
        }
        return null;
    }
}
