using System.Reflection;
using System.Reflection.Emit;

namespace Qcdc.Tests.Hosting;

/// <summary>
/// The folders of <c>src/Shared</c> and of <c>src/Functions</c> depend on one another in one order, without a cycle.
/// The graph is drawn from the built code, not from using lines: every type a type names in its signatures, its
/// attributes (a <c>typeof</c> in <c>[JsonSerializable]</c> counts) and every member its methods' bodies touch
/// (lambdas and state machines count for the type that wrote them). A folder is the namespace below <c>Qcdc</c> or
/// <c>Qcdc.Functions</c>; the types at the root (Program) are the composition and stand outside the order.
/// </summary>
public sealed class FolderGraphTests(ITestOutputHelper output)
{
    public static TheoryData<string> Assemblies => new() { "Qcdc.Shared", "Qcdc.Functions" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void NoFolderDependsOnAFolderThatDependsBackOnIt(string assembly)
    {
        var reasons = new Dictionary<(string, string), string>();
        var graph = FolderGraph.Draw(Assembly.Load(assembly), assembly == "Qcdc.Functions" ? "Qcdc.Functions" : "Qcdc", reasons);
        Assert.True(graph.Count > 8, $"only {graph.Count} folders found in {assembly}");

        var cycles = FolderGraph.Cycles(graph);
        output.WriteLine(FolderGraph.Describe(graph, reasons));
        Assert.True(cycles.Count == 0, $"{cycles.Count} cycle(s) between the folders of {assembly}:{Environment.NewLine}"
            + string.Join(Environment.NewLine, cycles.Select(c => string.Join(" → ", c) + Environment.NewLine + string.Join(Environment.NewLine,
                c.Zip(c.Skip(1)).Select(edge => $"    {edge.First} → {edge.Second}: {reasons[edge]}")))));
    }

    [Fact]
    public void TheGraphSeesADependencyMadeOnlyInsideAMethodBody()
    {
        // Qcdc.Functions.Startup registers the stores in method bodies only; the drawing must see it.
        var graph = FolderGraph.Draw(Assembly.Load("Qcdc.Functions"), "Qcdc.Functions");
        Assert.Contains("Http", graph["Startup"]);
        Assert.Equal(["a", "b", "a"], FolderGraph.Cycles(new() { ["a"] = ["b"], ["b"] = ["a"] }).Single());
    }
}

/// <summary>Draws the dependencies between the folders of one assembly from its metadata and IL.</summary>
internal static class FolderGraph
{
    private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(op => op.Value, op => op.OperandType);

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
        | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static Dictionary<string, HashSet<string>> Draw(Assembly assembly, string root, Dictionary<(string, string), string>? reasons = null)
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var type in assembly.GetTypes())
        {
            if (FolderOf(type, root) is not { } from)
            {
                continue;
            }
            var edges = graph.TryGetValue(from, out var set) ? set : graph[from] = [];
            foreach (var used in Uses(type))
            {
                if (used.Assembly == assembly && FolderOf(used, root) is { } to && to != from && edges.Add(to))
                {
                    reasons?.TryAdd((from, to), $"{Name(type)} uses {Name(used)}");
                }
            }
        }
        return graph;
    }

    public static List<List<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var cycles = new List<List<string>>();
        var seen = new HashSet<string>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (Cycle(graph, start, [start]) is { } cycle && seen.Add(string.Join(">", cycle.Skip(1).Order(StringComparer.Ordinal))))
            {
                cycles.Add(cycle);
            }
        }
        return cycles;
    }

    /// <summary>The folders, fewest dependencies first, each with what it uses and one example of why.</summary>
    public static string Describe(Dictionary<string, HashSet<string>> graph, Dictionary<(string, string), string> reasons) => string.Join(Environment.NewLine,
        graph.OrderBy(g => g.Value.Count).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} → {string.Join(", ", g.Value.Order(StringComparer.Ordinal).Select(to => $"{to} ({reasons[(g.Key, to)]})"))}"));

    private static List<string>? Cycle(Dictionary<string, HashSet<string>> graph, string at, List<string> path)
    {
        foreach (var next in (graph.GetValueOrDefault(at) ?? []).Order(StringComparer.Ordinal))
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

    private static string Name(Type type) => type.DeclaringType is { } outer && type.Name.Contains('<', StringComparison.Ordinal)
        ? Name(outer) : type.DeclaringType is { } declaring ? $"{Name(declaring)}.{type.Name}" : type.Name;

    private static string? FolderOf(Type type, string root)
    {
        var ns = type.Namespace ?? "";
        if (!ns.StartsWith(root + ".", StringComparison.Ordinal))
        {
            return null;
        }
        var rest = ns[(root.Length + 1)..];
        var folder = rest.Split('.')[0];
        return root == "Qcdc" && folder == "Functions" ? null : folder;
    }

    private static IEnumerable<Type> Uses(Type type)
    {
        var found = new List<Type>();
        void Add(Type? t)
        {
            if (t is null)
            {
                return;
            }
            if (t.HasElementType)
            {
                Add(t.GetElementType());
                return;
            }
            if (t.IsGenericParameter)
            {
                return;
            }
            found.Add(t.IsConstructedGenericType ? t.GetGenericTypeDefinition() : t);
            if (t.IsConstructedGenericType)
            {
                foreach (var argument in t.GenericTypeArguments)
                {
                    Add(argument);
                }
            }
        }
        void Attributes(IEnumerable<CustomAttributeData> attributes)
        {
            foreach (var a in attributes)
            {
                Add(a.AttributeType);
                foreach (var argument in a.ConstructorArguments.Concat(a.NamedArguments.Select(n => n.TypedValue)))
                {
                    Add(argument.Value as Type);
                }
            }
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Add(i);
        }
        Attributes(type.CustomAttributes);
        foreach (var field in type.GetFields(Declared))
        {
            Add(field.FieldType);
            Attributes(field.CustomAttributes);
        }
        foreach (var property in type.GetProperties(Declared))
        {
            Add(property.PropertyType);
            Attributes(property.CustomAttributes);
        }
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            Attributes(method.CustomAttributes);
            if (method is MethodInfo m)
            {
                Add(m.ReturnType);
            }
            foreach (var p in method.GetParameters())
            {
                Add(p.ParameterType);
                Attributes(p.CustomAttributes);
            }
            foreach (var t in BodyUses(method))
            {
                Add(t);
            }
        }
        return found;
    }

    /// <summary>The declaring types of the members and the types an IL body's tokens name.</summary>
    private static IEnumerable<Type?> BodyUses(MethodBase method)
    {
        var body = method.GetMethodBody();
        var il = body?.GetILAsByteArray();
        if (il is null)
        {
            return [];
        }
        var types = new List<Type?>(body!.LocalVariables.Select(l => l.LocalType));
        var module = method.Module;
        var typeArguments = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var operand = Operands.TryGetValue(value, out var o) ? o : OperandType.InlineNone;
            switch (operand)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, at);
                    try
                    {
                        var member = module.ResolveMember(token, typeArguments, methodArguments);
                        types.Add(member as Type ?? member?.DeclaringType);
                        if (member is MethodInfo { IsGenericMethod: true } generic)
                        {
                            types.AddRange(generic.GetGenericArguments());
                        }
                        if (member is FieldInfo field)
                        {
                            types.Add(field.FieldType);
                        }
                    }
                    catch (ArgumentException)
                    {
                        // A token resolved only within a generic context the drawing does not have: its type is
                        // found through the signature that carries it.
                    }
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + 4 * BitConverter.ToInt32(il, at);
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                default:
                    at += 4;
                    break;
            }
        }
        return types;
    }
}
