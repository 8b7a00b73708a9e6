import { find, get } from './api.js';
import { h, show, svg, uid } from './dom.js';
import { dateTime, kindNames, number, percent, periodName, shortPeriodName } from './format.js';
import { quartersAround } from './periods.js';
import { go } from './router.js';

/** The figure of one indicator in a rollup's values: a number, a category total, or a ratio's share. */
function figure(values, indicator) {
  const value = values?.[indicator.code];
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') return indicator.type === 'ratio' ? (value.value ?? null) : (value.total ?? null);
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

function shown(values, indicator) {
  const value = values?.[indicator.code];
  if (value === undefined || value === null) return '—';
  if (indicator.type === 'ratio') return `${number(value.numerator)}/${number(value.denominator)} (${percent(value.value)})`;
  if (typeof value === 'object') return number(value.total);
  return number(value);
}

const quarterKey = (year, q) => `${year}Q${q}`;

/** The quarters a period is made of (a named window's from the list of windows), or null when unknown. */
function quartersOf(period, windows) {
  let m;
  const range = (fromYear, fromQ, count) => {
    const keys = [];
    for (let i = 0; i < count; i++) keys.push(quarterKey(fromYear + Math.floor((fromQ - 1 + i) / 4), ((fromQ - 1 + i) % 4) + 1));
    return keys;
  };
  if ((m = /^(\d{4})H([12])$/.exec(period))) return range(Number(m[1]), m[2] === '1' ? 1 : 3, 2);
  if ((m = /^(\d{4})$/.exec(period))) return range(Number(m[1]), 1, 4);
  if ((m = /^(\d{4})-(\d{4})$/.exec(period))) return range(Number(m[1]), 1, 20);
  const window = windows.find(w => w.name === period);
  if (!window) return null;
  const [fy, fq] = [Number(window.firstQuarter.slice(0, 4)), Number(window.firstQuarter.slice(5))];
  const [ly, lq] = [Number(window.lastQuarter.slice(0, 4)), Number(window.lastQuarter.slice(5))];
  return range(fy, fq, (ly - fy) * 4 + lq - fq + 1);
}

/** The period before, and the same period a year before (null where there is none: a named window). */
function comparisons(period) {
  let m;
  if ((m = /^(\d{4})Q([1-4])$/.exec(period))) {
    const [y, q] = [Number(m[1]), Number(m[2])];
    return { previous: q === 1 ? quarterKey(y - 1, 4) : quarterKey(y, q - 1), yearBefore: quarterKey(y - 1, q) };
  }
  if ((m = /^(\d{4})H([12])$/.exec(period))) {
    const y = Number(m[1]);
    return { previous: m[2] === '1' ? `${y - 1}H2` : `${y}H1`, yearBefore: `${y - 1}H${m[2]}` };
  }
  if ((m = /^(\d{4})$/.exec(period))) return { previous: `${Number(m[1]) - 1}`, yearBefore: `${Number(m[1]) - 1}` };
  if ((m = /^(\d{4})-(\d{4})$/.exec(period))) return { previous: `${Number(m[1]) - 5}-${Number(m[2]) - 5}`, yearBefore: null };
  return { previous: null, yearBefore: null };
}

/** "+12,5 %" / "−3 %" / "—": the change of a figure against an earlier one. */
function change(now, before) {
  if (now === null || before === null || before === 0) return '—';
  const delta = (now - before) / before;
  return `${delta > 0 ? '+' : delta < 0 ? '−' : ''}${percent(Math.abs(delta))}`;
}
function quartersBefore(last, count) {
  let [year, q] = [Number(last.slice(0, 4)), Number(last.slice(5))];
  const keys = [];
  for (let i = 0; i < count; i++) {
    keys.unshift(quarterKey(year, q));
    if (--q === 0) { q = 4; year--; }
  }
  return keys;
}

/** Totals of every indicator for any unit the key may read and any period, the child units, a trend, the downloads. */
export default async function dashboard(main, context, parts, query) {
  const { identity, form } = context;
  const { today, periods } = await quartersAround(form);
  const quarter = periods.find(p => p.dataStart <= today)?.period;
  const unit = query.get('unit') || identity.unit;
  const period = query.get('period') || quarter;
  const year = Number(today.slice(0, 4));
  const { data: windows } = await get('/api/windows');
  const suggestions = [...periods.filter(p => p.dataStart <= today).map(p => p.period),
    `${year}H1`, `${year - 1}H2`, `${year - 1}H1`, `${year}`, `${year - 1}`, `${year - 5 - ((year - 1) % 5)}-${year - 1 - ((year - 1) % 5)}`,
    ...windows.windows.map(w => w.name)];
  const rollupUrl = (p, u) => `/api/rollups/${form}/${p}/${encodeURIComponent(u)}`;
  const [{ data: definition }, { data: rollup }, { data: completeness }, { data: units }] = await Promise.all([
    get(`/api/forms/${form}?period=${period}`), get(rollupUrl(period, unit)),
    get(`/api/completeness/${form}/${period}/${encodeURIComponent(unit)}`), get(identity.unit ? `/api/units?parent=${encodeURIComponent(identity.unit)}` : '/api/units')]);
  const numeric = definition.indicators.filter(i => i.type !== 'text');
  const chosen = numeric.find(i => i.code === query.get('indicator')) || numeric[0];

  const unitId = uid('unit'), periodId = uid('period'), indicatorId = uid('indicator'), listId = uid('periods');
  const unitSelect = h('select', { id: unitId },
    [...new Map([[identity.unit, identity.unitName], [unit, rollup.unitName], ...units.units.map(u => [u.code, u.name])]).entries()]
      .filter(([code]) => code).map(([code, name]) => h('option', { value: code, selected: code === unit }, `${name || code} (${code})`)));
  // The periods offered by name; any other (an older quarter, a window) typed as its key under "Kỳ khác".
  const offered = suggestions.includes(period) ? suggestions : [period, ...suggestions];
  const periodSelect = h('select', { id: periodId },
    offered.map(p => h('option', { value: p, selected: p === period }, periodName(p))),
    h('option', { value: '' }, 'Kỳ khác (nhập mã kỳ)…'));
  const otherId = uid('other');
  const periodInput = h('input', { id: otherId, list: listId, size: 12, autocomplete: 'off', placeholder: '2022Q3' });
  const other = h('label', { for: otherId, hidden: true }, 'Mã kỳ (ví dụ 2022Q3, 2023H1, 2023, 2021-2025)', periodInput,
    h('datalist', { id: listId }, suggestions.map(s => h('option', { value: s }, periodName(s)))));
  const indicatorSelect = h('select', { id: indicatorId }, numeric.map(i => h('option', { value: i.code, selected: i === chosen }, i.label)));
  const apply = (overrides = {}) => {
    const next = { unit: unitSelect.value, period: periodSelect.value || periodInput.value.trim() || period, indicator: indicatorSelect.value, ...overrides };
    go(`#/tong-hop?unit=${encodeURIComponent(next.unit)}&period=${encodeURIComponent(next.period)}&indicator=${next.indicator}`);
  };
  unitSelect.addEventListener('change', () => apply());
  periodSelect.addEventListener('change', () => {
    if (periodSelect.value) apply();
    else { other.hidden = false; periodInput.focus(); }
  });
  periodInput.addEventListener('change', () => apply());
  indicatorSelect.addEventListener('change', () => apply());

  const children = completeness.children;
  const childRollups = await Promise.all(children.map(c => find(rollupUrl(period, c.unit))));
  const trendKeys = /Q[1-4]$/.test(period) ? quartersBefore(period, 8) : quartersOf(period, windows.windows);
  const trend = trendKeys ? await Promise.all(trendKeys.map(k => find(rollupUrl(k, unit)).catch(() => null))) : [];
  const { previous, yearBefore } = comparisons(period);
  const [before, lastYear, reconciliation] = await Promise.all([
    previous ? find(rollupUrl(previous, unit)).catch(() => null) : null,
    yearBefore && yearBefore !== previous ? find(rollupUrl(yearBefore, unit)).catch(() => null) : null,
    /^\d{4}-\d{4}$/.test(period) ? find(`/api/reconciliation/${form}/${period}/${encodeURIComponent(unit)}`).catch(() => null) : null]);
  const lastYearValues = (yearBefore === previous ? before : lastYear)?.data.values;

  const base = `${form}/${period}/${encodeURIComponent(unit)}`;
  const total = rollup.completeness;
  show(main,
    h('h1', {}, `Tổng hợp — ${rollup.unitName || unit} — ${periodName(period)}`),
    h('div', { class: 'filters' },
      h('label', { for: unitId }, 'Đơn vị', unitSelect),
      h('label', { for: periodId }, 'Kỳ (quý, 6 tháng, năm, giai đoạn)', periodSelect),
      other,
      h('label', { for: indicatorId }, 'Chỉ tiêu theo dõi', indicatorSelect)),
    h('p', { id: 'computed' }, `Số liệu tổng hợp lúc ${dateTime(rollup.computedAt)}`, rollup.stale ? ' (chưa kịp cập nhật thay đổi mới nhất)' : '',
      `. Đã báo cáo ${total.submitted}/${total.expected} (${percent(total.expected ? total.submitted / total.expected : 0)}), đúng hạn ${total.onTime}.`),
    h('div', { class: 'downloads' },
      h('a', { class: 'button', href: `/api/exports/${base}.xlsx`, download: '', id: 'download-xlsx' }, 'Tải sổ tính Excel'),
      h('a', { class: 'button secondary', href: `/api/exports/${base}.csv`, download: '', id: 'download-csv' }, 'Tải CSV'),
      h('a', { class: 'button secondary', href: `/api/reports/${base}.docx`, download: '', id: 'download-docx' }, 'Tải dự thảo báo cáo (Word)'),
      h('button', { type: 'button', class: 'secondary', id: 'print-dashboard', onclick: () => window.print() }, 'In trang tổng hợp')),
    h('h2', {}, 'Số liệu tổng hợp'),
    h('div', wrap('Số liệu tổng hợp'), h('table', { id: 'totals' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Chỉ tiêu'), h('th', { scope: 'col', class: 'number' }, 'Số liệu'), h('th', { scope: 'col' }, 'Đơn vị tính'),
        h('th', { scope: 'col', class: 'number' }, previous ? `So với ${periodName(previous)}` : 'So với kỳ trước'),
        h('th', { scope: 'col', class: 'number' }, yearBefore ? `So với ${periodName(yearBefore)}` : 'So với cùng kỳ năm trước'))),
      h('tbody', {}, numeric.map(i => h('tr', { dataset: { code: i.code } },
        h('th', { scope: 'row' }, i.label), h('td', { class: 'number' }, shown(rollup.values, i)), h('td', {}, i.type === 'money' ? 'đồng' : i.unit || ''),
        h('td', { class: 'number change' }, change(figure(rollup.values, i), figure(before?.data.values, i))),
        h('td', { class: 'number change' }, change(figure(rollup.values, i), figure(lastYearValues, i)))))))),
    (rollup.notes || []).length ? h('ul', { class: 'notes' }, rollup.notes.map(n => h('li', {}, n))) : null,
    byKind(completeness.units),
    h('h2', {}, 'Các đơn vị trực thuộc'),
    children.length ? h('div', wrap('Các đơn vị trực thuộc'), h('table', { id: 'children' },
      h('thead', {}, h('tr', {}, ['Đơn vị', 'Phải báo cáo', 'Đã báo cáo', 'Tỷ lệ', chosen.label].map((t, i) => h('th', { scope: 'col', class: i ? 'number' : null }, t)))),
      h('tbody', {}, children.map((c, i) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `#/tong-hop?unit=${encodeURIComponent(c.unit)}&period=${encodeURIComponent(period)}&indicator=${chosen.code}` }, `${c.name || c.unit}`)),
        h('td', { class: 'number' }, c.expected), h('td', { class: 'number' }, c.reported), h('td', { class: 'number' }, percent(c.rate)),
        h('td', { class: 'number' }, shown(childRollups[i]?.data.values, chosen))))))) : h('p', {}, 'Không có đơn vị trực thuộc.'),
    trendKeys ? trendChart(chosen, trendKeys, trend.map(t => figure(t?.data.values, chosen))) : null,
    reconciliation ? reconciliationTable(reconciliation.data) : null);
}

/** A table's frame that scrolls sideways on a narrow screen, reachable and named for the keyboard and screen readers. */
const wrap = label => ({ class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': label });

/** How many of each kind of unit were expected and reported (a quarter: reports; a longer period: unit-quarters). */
function byKind(entries) {
  const kinds = new Map();
  for (const entry of entries) {
    const row = kinds.get(entry.kind) ?? { expected: 0, reported: 0 };
    const quarters = entry.quartersExpected !== undefined && entry.quartersExpected !== null;
    row.expected += quarters ? entry.quartersExpected : 1;
    row.reported += quarters ? entry.quartersReported : (entry.status === 'submitted' || entry.status === 'approved' ? 1 : 0);
    kinds.set(entry.kind, row);
  }
  if (!kinds.size) return null;
  return h('section', { 'aria-labelledby': 'kinds-title' },
    h('h2', { id: 'kinds-title' }, 'Tiến độ theo loại đơn vị'),
    h('div', wrap('Tiến độ theo loại đơn vị'), h('table', { id: 'by-kind' },
      h('thead', {}, h('tr', {}, ['Loại đơn vị', 'Phải báo cáo', 'Đã báo cáo', 'Tỷ lệ'].map((t, i) => h('th', { scope: 'col', class: i ? 'number' : null }, t)))),
      h('tbody', {}, [...kinds.entries()].map(([kind, row]) => h('tr', { dataset: { kind } },
        h('th', { scope: 'row' }, kindNames[kind] || kind), h('td', { class: 'number' }, number(row.expected)), h('td', { class: 'number' }, number(row.reported)),
        h('td', { class: 'number' }, percent(row.expected ? row.reported / row.expected : 0))))))));
}

/** The five-year reports beside their quarters: the units beyond the threshold first, each figure that differs. */
function reconciliationTable(result) {
  const flagged = result.units.filter(u => u.overThreshold);
  return h('section', { id: 'reconciliation', 'aria-labelledby': 'reconciliation-title' },
    h('h2', { id: 'reconciliation-title' }, `Đối chiếu báo cáo 5 năm (${result.form}) với tổng các báo cáo quý`),
    h('p', {}, `${result.units.length} đơn vị đã báo cáo 5 năm; ${flagged.length} đơn vị có số liệu chênh lệch quá ${number(result.thresholdPercent)} % so với tổng các quý.`),
    flagged.length ? h('div', wrap('Đối chiếu báo cáo 5 năm'), h('table', {},
      h('thead', {}, h('tr', {}, ['Đơn vị', 'Chỉ tiêu', 'Báo cáo 5 năm', 'Tổng các quý', 'Chênh lệch', 'Tỷ lệ'].map((t, i) => h('th', { scope: 'col', class: i > 1 ? 'number' : null }, t)))),
      h('tbody', {}, flagged.flatMap(u => u.cells.filter(c => c.overThreshold).map(c => h('tr', { dataset: { unit: u.unit, cell: c.cell } },
        h('th', { scope: 'row' }, u.name || u.unit), h('td', {}, c.label),
        h('td', { class: 'number' }, c.reported === null ? '—' : number(c.reported)), h('td', { class: 'number' }, c.computed === null ? '—' : number(c.computed)),
        h('td', { class: 'number' }, c.difference === null ? '—' : number(c.difference)),
        h('td', { class: 'number' }, c.differencePercent === null ? '—' : `${number(c.differencePercent)} %`))))))) : null);
}

/** Bars of one indicator over the quarters, drawn as inline SVG, with the figures as text for every reader. */
function trendChart(indicator, keys, values) {
  const width = 640, height = 240, left = 40, bottom = 40, top = 20;
  const max = Math.max(1, ...values.filter(v => v !== null));
  const step = (width - left) / keys.length;
  const scale = v => (height - bottom - top) * (v / max);
  const title = `Diễn biến: ${indicator.label} theo quý`;
  return h('section', { class: 'trend', 'aria-labelledby': 'trend-title' },
    h('h2', { id: 'trend-title' }, title),
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'trend-title trend-desc' },
      svg('desc', { id: 'trend-desc' }, keys.map((k, i) => `${periodName(k)}: ${values[i] === null ? 'không có số liệu' : number(values[i])}`).join('; ')),
      svg('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: '#555' }),
      keys.map((k, i) => {
        const v = values[i];
        const x = left + i * step + step * 0.15;
        const barHeight = v === null ? 0 : scale(v);
        return svg('g', {},
          svg('rect', { class: 'bar', x, y: height - bottom - barHeight, width: step * 0.7, height: barHeight }),
          keys.length <= 8 ? svg('text', { x: x + step * 0.35, y: height - bottom - barHeight - 4, 'text-anchor': 'middle' }, v === null ? '—' : number(v)) : null,
          // Many quarters: the year under each first quarter only.
          keys.length <= 8 || k.endsWith('Q1') ? svg('text', { x: x + step * 0.35, y: height - bottom + 16, 'text-anchor': 'middle' }, keys.length <= 8 ? shortPeriodName(k) : k.slice(0, 4)) : null);
      })),
    h('p', { class: 'visually-hidden' }, keys.map((k, i) => `${periodName(k)}: ${values[i] === null ? 'không có số liệu' : number(values[i])}.`).join(' ')));
}
