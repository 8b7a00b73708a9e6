/**
 * The form's validation rules, evaluated in the browser while the clerk types: the same definitions the server
 * checks (left and right expressions over cells and constants, an operator, a severity, a missing-value strategy),
 * the same grammar and the same arithmetic as the server's RuleExpression and FormChecks; both are tested against
 * one file of cases. The server stays the judge: its answer replaces these checks after every save.
 */

const symbols = { le: '≤', lt: '<', ge: '≥', gt: '>', eq: '=', ne: '≠', 'both-or-neither': 'cùng ghi hoặc cùng để trống với' };

/** Parses an expression: expression = term {(+|-) term}; term = factor {(*|/) factor}; factor = number | cell | (expr) | -factor. */
export function parseExpression(text) {
  let at = 0;
  const cells = [];
  const space = () => { while (at < text.length && /\s/.test(text[at])) at++; };
  const fail = message => { throw new Error(message); };
  let depth = 0;
  function expression() {
    if (++depth > 32) fail('brackets nested too deep');
    let left = term();
    for (;;) {
      space();
      if (at >= text.length || !'+-'.includes(text[at])) { depth--; return left; }
      const op = text[at++];
      left = { op, left, right: term() };
    }
  }
  function term() {
    let left = factor();
    for (;;) {
      space();
      if (at >= text.length || !'*/'.includes(text[at])) return left;
      const op = text[at++];
      left = { op, left, right: factor() };
    }
  }
  function factor() {
    space();
    if (at >= text.length) fail('the expression ends too soon');
    const c = text[at];
    if (c === '(') {
      at++;
      const inner = expression();
      space();
      if (text[at] !== ')') fail(`a bracket is not closed at ${at + 1}`);
      at++;
      return inner;
    }
    if (c === '-') { at++; return { negate: factor() }; }
    if (/[0-9]/.test(c)) {
      const start = at;
      while (at < text.length && /[0-9.]/.test(text[at])) at++;
      const literal = text.slice(start, at);
      if (!/^\d+(\.\d+)?$/.test(literal)) fail(`'${literal}' is not a number`);
      return { constant: Number(literal) };
    }
    if (/[a-z]/.test(c)) {
      const start = at;
      while (at < text.length && /[a-z0-9_.]/.test(text[at])) at++;
      const path = text.slice(start, at);
      if (path.endsWith('.') || path.split('.').length > 2) fail(`'${path}' is not a cell (code or code.part)`);
      if (!cells.includes(path)) cells.push(path);
      return { cell: path };
    }
    return fail(`unexpected '${c}' at ${at + 1}`);
  }
  if (!text || !text.trim() || text.length > 500) fail('empty or longer than 500 characters');
  const root = expression();
  space();
  if (at < text.length) fail(`unexpected '${text[at]}' at ${at + 1}`);
  return { text, root, cells };
}

function number(node) {
  if (typeof node === 'number') return node;
  if (typeof node === 'boolean') return node ? 1 : 0;
  return null;
}

/** A cell's number in a report's values: a plain value, a category or side of a ratio, a total, a yes/no. */
export function readCell(values, path) {
  const dot = path.indexOf('.');
  const node = values[dot < 0 ? path : path.slice(0, dot)];
  if (dot >= 0) return node && typeof node === 'object' ? number(node[path.slice(dot + 1)]) : null;
  if (node && typeof node === 'object') {
    if ('numerator' in node || 'denominator' in node) return null;
    const parts = Object.values(node);
    return parts.length === 0 ? null : parts.reduce((sum, v) => sum + (number(v) ?? 0), 0);
  }
  return number(node);
}

// Decimal arithmetic as the server does it for the figures a form holds: sums and differences exact to 1e-9,
// products and quotients compared after rounding to 9 places.
const round = x => Math.round(x * 1e9) / 1e9;

function evaluate(node, cell) {
  if ('constant' in node) return node.constant;
  if ('cell' in node) return cell(node.cell) ?? 0;
  if ('negate' in node) { const v = evaluate(node.negate, cell); return v === null ? null : -v; }
  const left = evaluate(node.left, cell), right = evaluate(node.right, cell);
  if (left === null || right === null) return null;
  switch (node.op) {
    case '+': return round(left + right);
    case '-': return round(left - right);
    case '*': return round(left * right);
    default: return right === 0 ? null : round(left / right);
  }
}

/** Whether a rule is broken by the values: null when it holds or is skipped, else the two sides and what they were. */
export function evaluateRule(rule, values) {
  const left = parseExpression(rule.left), right = parseExpression(rule.right);
  const cells = [...new Set([...left.cells, ...right.cells])];
  const cell = path => readCell(values, path);
  if (rule.operator === 'both-or-neither') {
    const leftFilled = left.cells.every(c => cell(c) !== null), rightFilled = right.cells.every(c => cell(c) !== null);
    return leftFilled === rightFilled ? null : { cells, leftFilled, rightFilled };
  }
  const present = cells.filter(c => cell(c) !== null).length;
  const missing = rule.missing || 'skip-if-any-missing';
  if (missing === 'skip-if-any-missing' && present < cells.length) return null;
  if (missing === 'skip-if-all-missing' && present === 0 && cells.length > 0) return null;
  const l = evaluate(left.root, cell), r = evaluate(right.root, cell);
  if (l === null || r === null) return null;
  const holds = { le: l <= r, lt: l < r, ge: l >= r, gt: l > r, eq: l === r }[rule.operator] ?? l !== r;
  return holds ? null : { cells, left: l, right: r };
}

/** A cell's label as the form shows it ("Hội nghị đối thoại — Cấp xã"). */
export function labelOf(form, path) {
  const [code, part] = path.split('.');
  const indicator = form.indicators.find(i => i.code === code);
  if (!indicator) return path;
  if (!part) return indicator.label;
  // A ratio's counts by the names the form gives them (as the C# FormChecks.LabelOf does).
  if (part === 'numerator') return indicator.numeratorLabel || `${indicator.label} — tử số`;
  if (part === 'denominator') return indicator.denominatorLabel || `${indicator.label} — mẫu số`;
  return `${indicator.label} — ${(indicator.categories || []).find(c => c.code === part)?.label ?? part}`;
}

function describe(form, expression) {
  let text = expression.text.trim();
  for (const cell of [...expression.cells].sort((a, b) => b.length - a.length)) text = text.split(cell).join(labelOf(form, cell));
  return text;
}

const vi = x => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 6 }).format(x);

/** Every rule of the form the values break, with the message the server writes (in Vietnamese). */
export function checkValues(form, values) {
  const checks = [];
  (form.rules || []).forEach((rule, i) => {
    let found;
    try { found = evaluateRule(rule, values); } catch { return; }
    if (!found) return;
    const leftText = describe(form, parseExpression(rule.left)), rightText = describe(form, parseExpression(rule.right));
    const description = rule.description && rule.description.trim() ? rule.description : `${leftText} ${symbols[rule.operator]} ${rightText}`;
    const now = rule.operator === 'both-or-neither'
      ? `${leftText}: ${found.leftFilled ? 'đã ghi' : 'chưa ghi'}; ${rightText}: ${found.rightFilled ? 'đã ghi' : 'chưa ghi'}`
      : `${leftText} = ${vi(found.left)}, ${rightText} = ${vi(found.right)}`;
    checks.push({ rule: rule.id || `rule-${i + 1}`, kind: 'rule', severity: rule.severity || 'error', cells: found.cells, message: `${description} (đang ghi: ${now}).` });
  });
  return checks;
}
