import { get } from './api.js';
import { h, show, uid } from './dom.js';
import { dateTime, percent, periodName, statusNames } from './format.js';
import { quartersAround } from './periods.js';
import { go } from './router.js';

const filters = [['', 'Tất cả'], ['submitted', 'Đã gửi'], ['approved', 'Đã duyệt'], ['returned', 'Bị trả lại'], ['draft', 'Nháp']];
const checkFilters = [['', 'Tất cả'], ['errors', 'Có lỗi'], ['warnings', 'Có cảnh báo'], ['follow-ups', 'Có đề nghị kiểm tra lại chưa trả lời']];
const keeps = { errors: r => r.errors > 0, warnings: r => r.warnings > 0, 'follow-ups': r => r.openFollowUps > 0 };

/** A reviewer's desk: the reports under the reviewer's unit for a period, who has not reported, who is late. */
export default async function review(main, context, parts, query) {
  const { identity, form } = context;
  const unit = identity.unit;
  const { today, periods } = await quartersAround(form);
  const started = periods.filter(p => p.dataStart <= today);
  const period = query.get('period') || started[0]?.period;
  const status = query.get('status') || '';
  const checks = keeps[query.get('checks')] ? query.get('checks') : '';
  const [{ data: list }, { data: completeness }] = await Promise.all([
    get(`/api/submissions/${form}/${period}?under=${encodeURIComponent(unit)}&pageSize=1000${status ? `&status=${status}` : ''}`),
    get(`/api/completeness/${form}/${period}/${encodeURIComponent(unit)}`)]);

  const periodId = uid('period'), statusId = uid('status'), checksId = uid('checks');
  const periodSelect = h('select', { id: periodId }, started.map(p => h('option', { value: p.period, selected: p.period === period }, periodName(p.period))));
  const statusSelect = h('select', { id: statusId }, filters.map(([value, text]) => h('option', { value, selected: value === status }, text)));
  const checksSelect = h('select', { id: checksId }, checkFilters.map(([value, text]) => h('option', { value, selected: value === checks }, text)));
  const apply = () => go(`#/duyet?period=${periodSelect.value}${statusSelect.value ? `&status=${statusSelect.value}` : ''}${checksSelect.value ? `&checks=${checksSelect.value}` : ''}`);
  periodSelect.addEventListener('change', apply);
  statusSelect.addEventListener('change', apply);
  checksSelect.addEventListener('change', apply);

  const shown = checks ? list.items.filter(keeps[checks]) : list.items;
  const count = (n, kind) => n > 0 ? h('span', { class: `count ${kind}` }, String(n)) : '0';
  const reports = shown.length
    ? h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Báo cáo của các đơn vị' }, h('table', { id: 'reports' },
      h('thead', {}, h('tr', {}, ['Đơn vị', 'Trạng thái', 'Gửi lúc', 'Hạn', 'Cập nhật', 'Lỗi', 'Cảnh báo', 'Cần kiểm tra lại']
        .map((t, i) => h('th', { scope: 'col', class: i >= 5 ? 'number' : null }, t)))),
      h('tbody', {}, shown.map(r => h('tr', { dataset: { unit: r.unit } },
        h('th', { scope: 'row' }, h('a', { href: `#/bao-cao/${form}/${period}/${encodeURIComponent(r.unit)}` }, `${r.unitName || r.unit} (${r.unit})`)),
        h('td', {}, h('span', { class: `status ${r.status}` }, statusNames[r.status])),
        h('td', {}, dateTime(r.submittedAt)),
        h('td', {}, r.submittedAt ? (r.late ? h('span', { class: 'late' }, 'Trễ hạn') : 'Đúng hạn') : ''),
        h('td', {}, `${dateTime(r.updatedAt)} (lần ${r.revision})`),
        h('td', { class: 'number' }, count(r.errors, 'error')),
        h('td', { class: 'number' }, count(r.warnings, 'warning')),
        h('td', { class: 'number' }, count(r.openFollowUps, 'warning')))))))
    : h('p', {}, 'Không có báo cáo nào khớp bộ lọc.');

  const missing = completeness.units.filter(u => u.status === 'missing' || u.status === 'draft' || u.status === 'returned');
  const late = completeness.units.filter(u => u.late);
  const total = completeness.total;
  show(main,
    h('h1', {}, `Duyệt báo cáo — ${periodName(period)}`),
    h('div', { class: 'filters' }, h('label', { for: periodId }, 'Kỳ báo cáo', periodSelect), h('label', { for: statusId }, 'Trạng thái', statusSelect),
      h('label', { for: checksId }, 'Kiểm tra số liệu', checksSelect)),
    h('p', { id: 'rate' }, `Đã báo cáo ${total.reported}/${total.expected} đơn vị (${percent(total.rate)}), đúng hạn ${total.onTime} (${percent(total.rateOnTime)})`
      + (total.valuesExpected ? `; đã điền ${total.valuesFilled}/${total.valuesExpected} giá trị cần báo cáo (${percent(total.valuesFilled / total.valuesExpected)}).` : '.')),
    h('h2', {}, 'Báo cáo của các đơn vị'),
    reports,
    h('h2', {}, `Chưa gửi báo cáo (${missing.length})`),
    missing.length
      ? h('ul', { id: 'missing' }, missing.map(u => h('li', {}, `${u.name || u.unit} (${u.unit}) — `, h('span', { class: `status ${u.status}` }, statusNames[u.status]))))
      : h('p', {}, 'Tất cả đơn vị đã gửi báo cáo.'),
    h('h2', {}, `Gửi trễ hạn (${late.length})`),
    late.length ? h('ul', { id: 'late' }, late.map(u => h('li', {}, `${u.name || u.unit} (${u.unit}) — gửi lúc ${dateTime(u.submittedAt)}`))) : h('p', {}, 'Không có đơn vị nào gửi trễ.'));
}
