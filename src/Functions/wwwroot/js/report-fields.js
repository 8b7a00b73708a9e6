import { h, uid } from './dom.js';
import { number, percent } from './format.js';

// The report's fields: the values' flat paths, the server's number rules, and the inputs drawn from the form's
// indicators (a number, a text, a yes/no; a ratio as its two counts; categories with their total).

/** {a: 1, b: {x: 2}} → {"a": 1, "b.x": 2}; ratio and category parts are paths of their own. */
export function flatten(values) {
  const flat = {};
  for (const [code, value] of Object.entries(values || {})) {
    if (value !== null && typeof value === 'object') {
      for (const [part, inner] of Object.entries(value)) if (part !== 'total' && part !== 'value') flat[`${code}.${part}`] = inner;
    } else flat[code] = value;
  }
  return flat;
}

export function nest(flat) {
  const values = {};
  for (const [path, value] of Object.entries(flat)) {
    const [code, part] = path.split('.');
    if (part === undefined) values[code] = value;
    else (values[code] ??= {})[part] = value;
  }
  return values;
}

export const same = (a, b) => (a ?? null) === (b ?? null);

/** The largest number the server takes when an indicator sets no maximum (10^15). */
const largest = 1e15;

/** Why a typed number cannot be saved for this indicator (the server's own rules), or null when it can. */
export function numberProblem(indicator, value) {
  if (value === null) return null;
  if (Number.isNaN(value)) return 'cần nhập một số (ví dụ 12 hoặc 2,5).';
  const min = indicator.min ?? 0;
  const max = indicator.max ?? largest;
  if (value < min) return `không được nhỏ hơn ${number(min)}.`;
  if (value > max) return `không được lớn hơn ${number(max)}.`;
  if ((indicator.type === 'integer' || indicator.type === 'ratio') && !Number.isInteger(value)) return 'phải là số nguyên.';
  return null;
}

const appliesTo = (item, kind) => !item.appliesTo?.length || item.appliesTo.includes(kind);

/**
 * The form as a unit of this kind fills it, as the server has it (FormDefinition.For): only the indicators and
 * categories asked of the kind, the sections that keep any, the rules whose cells all remain.
 */
export function askedOf(definition, kind) {
  const indicators = definition.indicators
    .filter(i => appliesTo(i, kind) && (!i.categories?.length || i.categories.some(c => appliesTo(c, kind))))
    .map(i => ({ ...i, categories: (i.categories || []).filter(c => appliesTo(c, kind)) }));
  const asked = new Map(indicators.map(i => [i.code, i]));
  const keeps = text => [...String(text ?? '').matchAll(/\b([a-z][a-z0-9_]*)(?:\.([a-z0-9_-]+))?/g)].every(([, code, part]) => {
    const indicator = asked.get(code);
    return indicator && (!part || part === 'numerator' || part === 'denominator' || indicator.categories.some(c => c.code === part));
  });
  return {
    ...definition,
    indicators,
    sections: (definition.sections || []).map(s => ({ ...s, indicators: s.indicators.filter(code => asked.has(code)) })).filter(s => s.indicators.length),
    rules: (definition.rules || []).filter(r => keeps(r.left) && keeps(r.right)),
  };
}

/**
 * Builds the inputs of the indicators into `fields` (path → input, state and check texts, label, indicator, kind) and
 * the computed totals and ratios into `computed`; `current(path)` reads a value as it stands, `changed(path, text)`
 * is told of every keystroke, and  says a field holds what was typed and refused.
 */
export function formFields({ fields, computed, current, changed, typedWrong }) {
  // A required indicator: a star after its label (drawn by the style sheet, explained above the form) and
  // aria-required on its inputs, so that the label keeps the indicator's own name.
  const labelClass = indicator => indicator.required ? 'required-label' : null;

  function numberField(path, label, unitText, indicator) {
    const id = uid('f');
    const stateId = `${id}-state`;
    const input = h('input', { id, name: path, type: 'text', inputmode: indicator.type === 'integer' || indicator.type === 'ratio' ? 'numeric' : 'decimal',
      autocomplete: 'off', 'aria-describedby': `${stateId} ${id}-check`, 'aria-required': indicator.required ? 'true' : null, dataset: { path } });
    const stateText = h('span', { id: stateId, class: 'state', 'aria-live': 'polite' });
    const checkText = h('p', { id: `${id}-check`, class: 'field-checks', hidden: true });
    fields[path] = { input, stateText, checkText, label, indicator, kind: 'number' };
    input.addEventListener('input', () => changed(path, input.value));
    // Written the Vietnamese way once typed — unless it was refused: then what was typed stays, to be corrected.
    input.addEventListener('blur', () => { const v = current(path); if (typeof v === 'number' && !typedWrong(path)) input.value = number(v); });
    return h('div', { class: 'field' }, h('label', { for: id, class: labelClass(indicator) }, label), input, h('span', { class: 'unit' }, unitText || ''), stateText, checkText);
  }

  function textField(indicator) {
    const id = uid('f');
    const path = indicator.code;
    const limit = indicator.maxLength || 8000;
    const counter = h('p', { class: 'counter', id: `${id}-count`, 'aria-live': 'polite' });
    const stateText = h('p', { id: `${id}-state`, class: 'state', 'aria-live': 'polite' });
    const input = h('textarea', { id, name: path, maxlength: limit, 'aria-describedby': `${id}-count ${id}-state`, 'aria-required': indicator.required ? 'true' : null, dataset: { path } });
    const checkText = h('p', { class: 'field-checks', hidden: true });
    fields[path] = { input, stateText, checkText, label: indicator.label, indicator, kind: 'text', counter, limit };
    input.addEventListener('input', () => changed(path, input.value));
    return h('div', { class: 'text-field' }, h('label', { for: id, class: labelClass(indicator) }, indicator.label), input, counter, stateText, checkText);
  }

  function booleanField(indicator) {
    const id = uid('f');
    const path = indicator.code;
    const stateText = h('span', { id: `${id}-state`, class: 'state' });
    const input = h('select', { id, name: path, 'aria-describedby': `${id}-state ${id}-check`, dataset: { path } },
      h('option', { value: '' }, '—'), h('option', { value: 'true' }, 'Có'), h('option', { value: 'false' }, 'Không'));
    const checkText = h('p', { id: `${id}-check`, class: 'field-checks', hidden: true });
    fields[path] = { input, stateText, checkText, label: indicator.label, indicator, kind: 'boolean' };
    input.addEventListener('change', () => changed(path, input.value));
    return h('div', { class: 'field' }, h('label', { for: id, class: labelClass(indicator) }, indicator.label), input, h('span', { class: 'unit' }), stateText, checkText);
  }

  function indicatorBlock(indicator) {
    const unitText = indicator.type === 'money' ? 'đồng' : indicator.unit;
    if (indicator.type === 'text') return textField(indicator);
    if (indicator.type === 'boolean') return booleanField(indicator);
    if (indicator.type === 'ratio') {
      const output = h('output', { class: 'computed', id: uid('pct') });
      computed[indicator.code] = () => {
        const n = current(`${indicator.code}.numerator`), d = current(`${indicator.code}.denominator`);
        output.textContent = typeof n === 'number' && typeof d === 'number' && d > 0 ? `Tỷ lệ: ${percent(n / d)}` : 'Tỷ lệ: —';
      };
      // The two counts by the names the form gives them ("Số xã đạt chuẩn", "Tổng số xã").
      return h('fieldset', {}, h('legend', { class: labelClass(indicator) }, indicator.label),
        numberField(`${indicator.code}.numerator`, indicator.numeratorLabel || `${indicator.label} — tử số`, unitText, indicator),
        numberField(`${indicator.code}.denominator`, indicator.denominatorLabel || `${indicator.label} — mẫu số`, unitText, indicator),
        output);
    }
    if (indicator.categories?.length) {
      const output = h('output', { class: 'computed', id: uid('total') });
      computed[indicator.code] = () => {
        const parts = indicator.categories.map(c => current(`${indicator.code}.${c.code}`)).filter(v => typeof v === 'number');
        output.textContent = `Tổng: ${parts.length ? number(parts.reduce((a, b) => a + b, 0)) : '—'} ${unitText || ''}`;
      };
      return h('fieldset', {}, h('legend', { class: labelClass(indicator) }, indicator.label),
        indicator.categories.map(c => numberField(`${indicator.code}.${c.code}`, `${indicator.label} — ${c.label}`, unitText, indicator)),
        output);
    }
    return numberField(indicator.code, indicator.label, unitText, indicator);
  }

  return indicatorBlock;
}

/**
 * The form's body: its numbered sections, each with its indicators, as on the paper form (the indicators in no
 * section after them); without sections, the indicators in order.
 */
export function formBody(definition, indicatorBlock) {
  const find = code => definition.indicators.find(i => i.code === code);
  const placed = new Set((definition.sections || []).flatMap(s => s.indicators));
  const rest = definition.indicators.filter(i => !placed.has(i.code));
  if (!definition.sections?.length) return rest.map(indicatorBlock);
  return [
    ...definition.sections.map((section, n) => {
      const id = uid('section');
      return h('section', { class: 'form-section', 'aria-labelledby': id },
        h('h2', { id }, `${section.number || n + 1}. ${section.title}`), section.indicators.map(find).filter(Boolean).map(indicatorBlock));
    }),
    ...rest.map(indicatorBlock),
  ];
}
