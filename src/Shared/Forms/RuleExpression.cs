using System.Globalization;
using System.Text.Json.Nodes;

namespace Qcdc.Forms;

/// <summary>
/// One side of a validation rule: sums, differences, products and quotients of cells and constants, with brackets.
/// A cell is an indicator's code (its value; a disaggregated indicator's total; a yes/no as 1 or 0), or a code and a
/// part: <c>dialogues.commune</c>, <c>ntm_communes.numerator</c>. The page evaluates the same text by the same
/// grammar (<c>js/checks.js</c>); both are tested against one file of cases.
/// </summary>
public sealed class RuleExpression
{
    private abstract record Node;

    private sealed record Constant(decimal Value) : Node;

    private sealed record CellRef(string Path) : Node;

    private sealed record Negate(Node Operand) : Node;

    private sealed record Binary(char Operator, Node Left, Node Right) : Node;

    private readonly Node _root;

    private RuleExpression(string text, Node root, IReadOnlyList<string> cells) => (Text, _root, Cells) = (text, root, cells);

    public string Text { get; }

    /// <summary>The cells the expression reads, in order of first appearance.</summary>
    public IReadOnlyList<string> Cells { get; }

    /// <summary>Parses <paramref name="text"/>, or says at which character it stops making sense.</summary>
    public static RuleExpression? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 500)
        {
            error = "empty or longer than 500 characters";
            return null;
        }
        var parser = new Parser(text);
        try
        {
            var root = parser.Expression();
            parser.SkipSpace();
            if (!parser.AtEnd)
            {
                throw new FormatException($"unexpected '{text[parser.Position]}' at {parser.Position + 1}");
            }
            return new RuleExpression(text, root, parser.Cells);
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>
    /// The value, reading each cell through <paramref name="cell"/> (a missing cell is 0 here: the rule's strategy
    /// decided before whether to evaluate at all); null when it divides by zero.
    /// </summary>
    public decimal? Evaluate(Func<string, decimal?> cell) => Evaluate(_root, cell);

    private static decimal? Evaluate(Node node, Func<string, decimal?> cell)
    {
        switch (node)
        {
            case Constant c:
                return c.Value;
            case CellRef r:
                return cell(r.Path) ?? 0;
            case Negate n:
                return -Evaluate(n.Operand, cell);
            case Binary b:
                if (Evaluate(b.Left, cell) is not { } left || Evaluate(b.Right, cell) is not { } right)
                {
                    return null;
                }
                try
                {
                    return b.Operator switch
                    {
                        '+' => left + right,
                        '-' => left - right,
                        '*' => left * right,
                        _ => right == 0 ? null : left / right,
                    };
                }
                catch (OverflowException)
                {
                    return null;
                }
            default:
                return null;
        }
    }

    /// <summary>The expression with each cell bound to its place in a <see cref="CellLayout"/> row, to evaluate many reports fast.</summary>
    public BoundExpression Bind(CellLayout layout) => new(Bind(_root, layout), [.. Cells.Select(layout.CellsOf)]);

    private static BoundNode Bind(Node node, CellLayout layout) => node switch
    {
        Constant c => new BoundNode(BoundKind.Constant, c.Value, null, null, null),
        CellRef r => new BoundNode(BoundKind.Cell, 0, layout.CellsOf(r.Path), null, null),
        Negate n => new BoundNode(BoundKind.Negate, 0, null, Bind(n.Operand, layout), null),
        Binary b => new BoundNode(b.Operator switch { '+' => BoundKind.Add, '-' => BoundKind.Subtract, '*' => BoundKind.Multiply, _ => BoundKind.Divide },
            0, null, Bind(b.Left, layout), Bind(b.Right, layout)),
        _ => throw new InvalidOperationException(),
    };

    public enum BoundKind
    {
        Constant,
        Cell,
        Negate,
        Add,
        Subtract,
        Multiply,
        Divide,
    }

    public sealed record BoundNode(BoundKind Kind, decimal Value, int[]? Slots, BoundNode? Left, BoundNode? Right);

    /// <summary>An expression bound to a row: the same arithmetic as <see cref="Evaluate(Func{string, decimal?})"/>.</summary>
    public sealed class BoundExpression(BoundNode root, int[][] cells)
    {
        /// <summary>For each cell the expression reads (in order of first appearance), its places in the row.</summary>
        public int[][] Cells { get; } = cells;

        /// <summary>Whether a cell the expression reads is filled (any of its places, for a total of categories).</summary>
        public static bool IsFilled(int[] slots, ReadOnlySpan<bool> present)
        {
            foreach (var slot in slots)
            {
                if (present[slot])
                {
                    return true;
                }
            }
            return false;
        }

        public decimal? Evaluate(ReadOnlySpan<decimal> row, ReadOnlySpan<bool> present) => Evaluate(root, row, present);

        private static decimal? Evaluate(BoundNode node, ReadOnlySpan<decimal> row, ReadOnlySpan<bool> present)
        {
            switch (node.Kind)
            {
                case BoundKind.Constant:
                    return node.Value;
                case BoundKind.Cell:
                    var sum = 0m;
                    foreach (var slot in node.Slots!)
                    {
                        if (present[slot])
                        {
                            sum += row[slot];
                        }
                    }
                    return sum;
                case BoundKind.Negate:
                    return -Evaluate(node.Left!, row, present);
            }
            if (Evaluate(node.Left!, row, present) is not { } left || Evaluate(node.Right!, row, present) is not { } right)
            {
                return null;
            }
            try
            {
                return node.Kind switch
                {
                    BoundKind.Add => left + right,
                    BoundKind.Subtract => left - right,
                    BoundKind.Multiply => left * right,
                    _ => right == 0 ? null : left / right,
                };
            }
            catch (OverflowException)
            {
                return null;
            }
        }
    }

    /// <summary>A cell's number in a report's values: a plain value, a category or side of a ratio, a total, a yes/no.</summary>
    public static decimal? Read(JsonObject values, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var node = values[dot < 0 ? path : path[..dot]];
        if (dot >= 0)
        {
            return node is JsonObject parts ? Number(parts[path[(dot + 1)..]]) : null;
        }
        return node switch
        {
            JsonObject parts when parts["numerator"] is null && parts["denominator"] is null =>
                parts.Count == 0 ? null : parts.Aggregate(0m, (sum, p) => sum + (Number(p.Value) ?? 0)),
            JsonObject => null,
            _ => Number(node),
        };
    }

    private static decimal? Number(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<decimal>(out var number) ? number : value.TryGetValue<bool>(out var flag) ? (flag ? 1 : 0) : null
        : null;

    /// <summary>A recursive-descent reader of the grammar: expression = term {(+|-) term}; term = factor {(*|/) factor}.</summary>
    private sealed class Parser(string text)
    {
        private int _depth;

        public int Position { get; private set; }

        public List<string> Cells { get; } = [];

        public bool AtEnd => Position >= text.Length;

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[Position]))
            {
                Position++;
            }
        }

        public Node Expression()
        {
            if (++_depth > 32)
            {
                throw new FormatException("brackets nested too deep");
            }
            var left = Term();
            while (true)
            {
                SkipSpace();
                if (AtEnd || text[Position] is not ('+' or '-'))
                {
                    _depth--;
                    return left;
                }
                var op = text[Position++];
                left = new Binary(op, left, Term());
            }
        }

        private Node Term()
        {
            var left = Factor();
            while (true)
            {
                SkipSpace();
                if (AtEnd || text[Position] is not ('*' or '/'))
                {
                    return left;
                }
                var op = text[Position++];
                left = new Binary(op, left, Factor());
            }
        }

        private Node Factor()
        {
            SkipSpace();
            if (AtEnd)
            {
                throw new FormatException("the expression ends too soon");
            }
            var c = text[Position];
            if (c == '(')
            {
                Position++;
                var inner = Expression();
                SkipSpace();
                if (AtEnd || text[Position] != ')')
                {
                    throw new FormatException($"a bracket is not closed at {Position + 1}");
                }
                Position++;
                return inner;
            }
            if (c == '-')
            {
                Position++;
                return new Negate(Factor());
            }
            if (char.IsAsciiDigit(c))
            {
                var start = Position;
                while (!AtEnd && (char.IsAsciiDigit(text[Position]) || text[Position] == '.'))
                {
                    Position++;
                }
                return decimal.TryParse(text.AsSpan(start, Position - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                    ? new Constant(number)
                    : throw new FormatException($"'{text[start..Position]}' is not a number");
            }
            if (char.IsAsciiLetterLower(c))
            {
                var start = Position;
                while (!AtEnd && (char.IsAsciiLetterLower(text[Position]) || char.IsAsciiDigit(text[Position]) || text[Position] is '_' or '.'))
                {
                    Position++;
                }
                var path = text[start..Position];
                if (path.EndsWith('.') || path.Count(ch => ch == '.') > 1)
                {
                    throw new FormatException($"'{path}' is not a cell (code or code.part)");
                }
                if (!Cells.Contains(path))
                {
                    Cells.Add(path);
                }
                return new CellRef(path);
            }
            throw new FormatException($"unexpected '{c}' at {Position + 1}");
        }
    }
}
