using System.Text.RegularExpressions;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Pages;

/// <summary>
/// The pages' modules import one another without a cycle: the shell (app.js) loads the pages, the pages use small
/// modules (router, periods, api, dom, format …) and never the shell. The order is drawn from the import lines.
/// </summary>
public sealed partial class PageModuleGraphTests
{
    [GeneratedRegex(@"(?:^|\n)\s*import\s[^;]*?from\s+'\./([a-z0-9-]+\.js)'|import\('\./([a-z0-9-]+\.js)'\)")]
    private static partial Regex Import();

    [Fact]
    public void NoPageModuleImportsOneThatLeadsBackToItAndNoneImportsTheShell()
    {
        var folder = Path.Combine(AzuriteFixture.RepositoryRoot, "src", "Functions", "wwwroot", "js");
        var graph = Directory.GetFiles(folder, "*.js").ToDictionary(file => Path.GetFileName(file), file =>
            Import().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
                .Where(target => !(Path.GetFileName(file) == "app.js" && target != "app.js" && File.ReadAllText(file).Contains($"import('./{target}')", StringComparison.Ordinal)))
                .ToList());

        Assert.True(graph.Count > 10);
        Assert.DoesNotContain(graph, m => m.Key != "app.js" && m.Value.Contains("app.js"));
        foreach (var start in graph.Keys)
        {
            var cycle = Cycle(graph, start, [start]);
            Assert.True(cycle is null, $"import cycle: {string.Join(" → ", cycle ?? [])}");
        }
    }

    private static List<string>? Cycle(Dictionary<string, List<string>> graph, string at, List<string> path)
    {
        foreach (var next in graph.GetValueOrDefault(at) ?? [])
        {
            if (next == path[0])
            {
                return [.. path, next];
            }
            if (!path.Contains(next) && Cycle(graph, next, [.. path, next]) is { } found)
            {
                return found;
            }
        }
        return null;
    }
}
