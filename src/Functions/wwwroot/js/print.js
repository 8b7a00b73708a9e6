import { get } from './api.js';
import { h, show } from './dom.js';
import { dateTime, number, percent, periodName, statusNames } from './format.js';
import { askedOf } from './report-fields.js';

const who = author => author?.name || author?.label || '';

/**
 * A report to print ("In báo cáo"): A4, the form's sections with their indicators numbered in order, every value as text (a ratio as its
 * two counts and percentage, categories under their indicator), narratives as paragraphs, no controls; the unit and
 * period in words, the status, who sent it and who approved it. The browser's print dialog makes the paper or PDF.
 */
export default async function printReport(main, context, [form, period, unit]) {
  const url = `/api/submissions/${form}/${period}/${encodeURIComponent(unit)}`;
  const [{ data: published }, { data: report }, { data: unitInfo }, { data: history }] = await Promise.all([
    get(`/api/forms/${form}?period=${period}`), get(url), get(`/api/units/${encodeURIComponent(unit)}`), get(`${url}/history`)]);
  const definition = askedOf(published, unitInfo.unit.kind);
  const values = report.values || {};
  const approval = history.revisions.filter(r => r.action === 'approved').at(-1);
  const unitText = i => (i.type === 'money' ? 'đồng' : i.unit) || '';
  const rows = [];
  let numbered = 0;
  // The figures in the form's sections (a heading row each), the indicators in no section after them.
  const placed = new Set((definition.sections || []).flatMap(s => s.indicators));
  const groups = [...(definition.sections || []).map((s, k) => ({ title: `${s.number || k + 1}. ${s.title}`, indicators: s.indicators.map(c => definition.indicators.find(i => i.code === c)) })),
    { title: definition.sections?.length ? 'Các chỉ tiêu khác' : null, indicators: definition.indicators.filter(i => !placed.has(i.code)) }]
    .map(g => ({ ...g, indicators: g.indicators.filter(i => i && i.type !== 'text') })).filter(g => g.indicators.length);
  const figures = groups.flatMap(g => g.indicators);
  for (const indicator of figures) {
    const group = groups.find(g => g.indicators[0] === indicator);
    if (group?.title) rows.push(h('tr', { class: 'section' }, h('th', { colspan: 4, scope: 'rowgroup' }, group.title)));
    const value = values[indicator.code];
    const n = ++numbered;
    if (indicator.type === 'ratio') {
      const shown = value ? `${number(value.numerator)}/${number(value.denominator)}${value.denominator > 0 ? ` (${percent(value.numerator / value.denominator)})` : ''}` : '—';
      rows.push(h('tr', {}, h('td', { class: 'number' }, String(n)), h('th', { scope: 'row' }, indicator.label), h('td', { class: 'number' }, shown), h('td', {}, unitText(indicator))));
    } else if (indicator.categories?.length) {
      const parts = indicator.categories.map(c => value?.[c.code]).filter(v => typeof v === 'number');
      rows.push(h('tr', {}, h('td', { class: 'number' }, String(n)), h('th', { scope: 'row' }, indicator.label),
        h('td', { class: 'number' }, parts.length ? number(parts.reduce((a, b) => a + b, 0)) : '—'), h('td', {}, unitText(indicator))));
      for (const category of indicator.categories) {
        rows.push(h('tr', { class: 'part' }, h('td', {}), h('th', { scope: 'row' }, `— ${category.label}`),
          h('td', { class: 'number' }, typeof value?.[category.code] === 'number' ? number(value[category.code]) : '—'), h('td', {}, unitText(indicator))));
      }
    } else {
      const shown = typeof value === 'number' ? number(value) : value === true ? 'Có' : value === false ? 'Không' : '—';
      rows.push(h('tr', {}, h('td', { class: 'number' }, String(n)), h('th', { scope: 'row' }, indicator.label), h('td', { class: 'number' }, shown), h('td', {}, unitText(indicator))));
    }
  }
  const narratives = definition.indicators.filter(i => i.type === 'text');
  show(main, h('article', { class: 'print-view', id: 'print-view' },
    h('div', { class: 'no-print actions' },
      h('button', { type: 'button', id: 'print', onclick: () => window.print() }, 'In'),
      h('a', { href: `#/bao-cao/${form}/${period}/${encodeURIComponent(unit)}` }, 'Quay lại báo cáo')),
    h('h1', {}, definition.title),
    h('p', { class: 'subtitle' }, `${periodName(period)} — ${unitInfo.unit.name}`),
    h('dl', { class: 'meta' },
      h('dt', {}, 'Đơn vị'), h('dd', {}, `${unitInfo.unit.name} (${unit})`),
      h('dt', {}, 'Kỳ báo cáo'), h('dd', {}, periodName(period)),
      h('dt', {}, 'Trạng thái'), h('dd', { id: 'print-status' }, statusNames[report.status] || report.status),
      report.submittedAt ? [h('dt', {}, 'Gửi lúc'), h('dd', {}, [dateTime(report.submittedAt), who(report.submittedBy)].filter(Boolean).join(' — '))] : null,
      approval ? [h('dt', {}, 'Duyệt'), h('dd', { id: 'print-approval' }, [dateTime(approval.at), who(approval.by)].filter(Boolean).join(' — '))] : null),
    h('table', { class: 'print-table' },
      h('thead', {}, h('tr', {}, ['STT', 'Chỉ tiêu', 'Số liệu', 'Đơn vị tính'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)),
    narratives.map(i => h('section', { class: 'narrative' }, h('h2', {}, (definition.sections || []).filter(s => s.indicators.includes(i.code)).map(s => `${s.number}. ${s.title}`)[0] ?? `${++numbered}. ${i.label}`),
      ...String(values[i.code] || '—').split(/\n+/).map(p => h('p', {}, p))))));
}
