import { find, get } from './api.js';
import { quartersAround } from './periods.js';
import { h, show } from './dom.js';
import { date, deadlineText, periodName, statusNames } from './format.js';

export const deadlineOf = (period, kind) => period.deadlines[kind] ?? period.deadlines.default ?? period.end;

/** A clerk's quarter: each report of the unit with its status and how long is left before its deadline. */
export default async function home(main, context) {
  const { identity, form } = context;
  const [{ data: detail }, { today, periods }] = await Promise.all([get(`/api/units/${encodeURIComponent(identity.unit)}`), quartersAround(form)]);
  const unit = detail.unit;
  const reports = await Promise.all(periods.map(p => find(`/api/submissions/${form}/${p.period}/${encodeURIComponent(identity.unit)}`)));
  const rows = periods.map((period, i) => {
    const report = reports[i]?.data;
    const status = report?.status ?? 'missing';
    const deadline = deadlineOf(period, unit.kind);
    const due = deadlineText(period, deadline, today);
    const overdue = due.startsWith('quá hạn') && (status === 'missing' || status === 'draft' || status === 'returned');
    const href = `#/bao-cao/${form}/${period.period}/${encodeURIComponent(identity.unit)}`;
    return h('tr', { dataset: { period: period.period } },
      h('th', { scope: 'row' }, periodName(period.period)),
      h('td', {}, h('span', { class: `status ${status}` }, statusNames[status])),
      h('td', {}, `${date(deadline)} — `, h('span', { class: overdue ? 'late' : null }, due)),
      h('td', {}, period.dataStart > today ? 'Chưa mở'
        : period.locked && status === 'missing' ? 'Đã khóa sổ'
          : h('a', { href }, period.locked ? 'Xem báo cáo' : status === 'missing' ? 'Nhập báo cáo' : 'Mở báo cáo',
            h('span', { class: 'visually-hidden' }, ` ${periodName(period.period)}`))));
  });
  show(main,
    h('h1', {}, `Báo cáo của ${identity.unitName}`),
    h('p', {}, `Hôm nay ${date(today)}. Biểu mẫu ${form}: báo cáo quý tình hình thực hiện Quy chế dân chủ ở cơ sở.`),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Các kỳ báo cáo gần đây'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Kỳ báo cáo'), h('th', { scope: 'col' }, 'Trạng thái'),
        h('th', { scope: 'col' }, 'Hạn nộp'), h('th', { scope: 'col' }, 'Thao tác'))),
      h('tbody', {}, rows))));
}
