import { find, get } from './api.js';
import { h, show, svg, uid } from './dom.js';
import { dateTime, number, percent, periodName } from './format.js';
import { quartersAround } from './home.js';
import { go } from './app.js';

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
  const periodInput = h('input', { id: periodId, list: listId, value: period, size: 12, autocomplete: 'off' });
  const indicatorSelect = h('select', { id: indicatorId }, numeric.map(i => h('option', { value: i.code, selected: i === chosen }, i.label)));
  const apply = (overrides = {}) => {
    const next = { unit: unitSelect.value, period: periodInput.value.trim(), indicator: indicatorSelect.value, ...overrides };
    go(`#/tong-hop?unit=${encodeURIComponent(next.unit)}&period=${encodeURIComponent(next.period)}&indicator=${next.indicator}`);
  };
  unitSelect.addEventListener('change', () => apply());
  periodInput.addEventListener('change', () => apply());
  indicatorSelect.addEventListener('change', () => apply());

  const children = completeness.children;
  const childRollups = await Promise.all(children.map(c => find(rollupUrl(period, c.unit))));
  const trendKeys = /Q[1-4]$/.test(period) ? quartersBefore(period, 8) : null;
  const trend = trendKeys ? await Promise.all(trendKeys.map(k => find(rollupUrl(k, unit)))) : [];

  const base = `${form}/${period}/${encodeURIComponent(unit)}`;
  const total = rollup.completeness;
  show(main,
    h('h1', {}, `Tổng hợp — ${rollup.unitName || unit} — ${periodName(period)}`),
    h('div', { class: 'filters' },
      h('label', { for: unitId }, 'Đơn vị', unitSelect),
      h('label', { for: periodId }, 'Kỳ (quý, 6 tháng, năm, giai đoạn)', periodInput, h('datalist', { id: listId }, suggestions.map(s => h('option', { value: s }, periodName(s))))),
      h('label', { for: indicatorId }, 'Chỉ tiêu theo dõi', indicatorSelect)),
    h('p', { id: 'computed' }, `Số liệu tổng hợp lúc ${dateTime(rollup.computedAt)}`, rollup.stale ? ' (chưa kịp cập nhật thay đổi mới nhất)' : '',
      `. Đã báo cáo ${total.submitted}/${total.expected} (${percent(total.expected ? total.submitted / total.expected : 0)}), đúng hạn ${total.onTime}.`),
    h('div', { class: 'downloads' },
      h('a', { class: 'button', href: `/api/exports/${base}.xlsx`, download: '', id: 'download-xlsx' }, 'Tải sổ tính Excel'),
      h('a', { class: 'button secondary', href: `/api/exports/${base}.csv`, download: '', id: 'download-csv' }, 'Tải CSV'),
      h('a', { class: 'button secondary', href: `/api/reports/${base}.docx`, download: '', id: 'download-docx' }, 'Tải dự thảo báo cáo (Word)')),
    h('h2', {}, 'Số liệu tổng hợp'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'totals' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Chỉ tiêu'), h('th', { scope: 'col', class: 'number' }, 'Số liệu'), h('th', { scope: 'col' }, 'Đơn vị tính'))),
      h('tbody', {}, numeric.map(i => h('tr', { dataset: { code: i.code } },
        h('th', { scope: 'row' }, i.label), h('td', { class: 'number' }, shown(rollup.values, i)), h('td', {}, i.type === 'money' ? 'đồng' : i.unit || '')))))),
    (rollup.notes || []).length ? h('ul', { class: 'notes' }, rollup.notes.map(n => h('li', {}, n))) : null,
    h('h2', {}, 'Các đơn vị trực thuộc'),
    children.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'children' },
      h('thead', {}, h('tr', {}, ['Đơn vị', 'Phải báo cáo', 'Đã báo cáo', 'Tỷ lệ', chosen.label].map((t, i) => h('th', { scope: 'col', class: i ? 'number' : null }, t)))),
      h('tbody', {}, children.map((c, i) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `#/tong-hop?unit=${encodeURIComponent(c.unit)}&period=${encodeURIComponent(period)}&indicator=${chosen.code}` }, `${c.name || c.unit}`)),
        h('td', { class: 'number' }, c.expected), h('td', { class: 'number' }, c.reported), h('td', { class: 'number' }, percent(c.rate)),
        h('td', { class: 'number' }, shown(childRollups[i]?.data.values, chosen))))))) : h('p', {}, 'Không có đơn vị trực thuộc.'),
    trendKeys ? trendChart(chosen, trendKeys, trend.map(t => figure(t?.data.values, chosen))) : null);
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
          svg('text', { x: x + step * 0.35, y: height - bottom - barHeight - 4, 'text-anchor': 'middle' }, v === null ? '—' : number(v)),
          svg('text', { x: x + step * 0.35, y: height - bottom + 16, 'text-anchor': 'middle' }, k));
      })),
    h('p', { class: 'visually-hidden' }, keys.map((k, i) => `${periodName(k)}: ${values[i] === null ? 'không có số liệu' : number(values[i])}.`).join(' ')));
}
