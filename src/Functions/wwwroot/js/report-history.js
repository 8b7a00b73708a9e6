import { get } from './api.js';
import { h } from './dom.js';
import { dateTime, number } from './format.js';
import { flatten, same } from './report-fields.js';

const actionNames = {
  created: 'Tạo mới', updated: 'Cập nhật', submitted: 'Gửi báo cáo', approved: 'Duyệt', returned: 'Trả lại', imported: 'Nhập từ tệp',
  'follow-up-raised': 'Đề nghị kiểm tra lại', 'follow-up-answered': 'Trả lời đề nghị kiểm tra lại',
};

/** What a revision changed, field by field, from what to what ("Văn bản lãnh đạo: 3 → 5"); `labelOf(path)` names a field. */
export function changes(before, after, labelOf) {
  const [was, now] = [flatten(before), flatten(after)];
  const shown = v => v === null || v === undefined ? '(trống)' : typeof v === 'number' ? number(v) : v === true ? 'Có' : v === false ? 'Không'
    : String(v).length > 60 ? `${String(v).slice(0, 57)}…` : String(v);
  return [...new Set([...Object.keys(was), ...Object.keys(now)])].filter(p => !same(was[p], now[p]))
    .map(p => `${labelOf(p) || p}: ${shown(was[p])} → ${shown(now[p])}`);
}

/** A report's history: each revision, who made it and why, and what it changed. */
export function reportHistory({ url, labelOf, hasReport }) {
  const section = h('section', { 'aria-labelledby': 'history-title' });

  async function draw() {
    if (!hasReport()) { section.replaceChildren(); return; }
    const { data } = await get(`${url}/history`);
    const revisions = data.revisions.map((r, i) => ({ ...r, diff: changes(i === 0 ? {} : data.revisions[i - 1].values, r.values, labelOf) }));
    section.replaceChildren(h('h2', { id: 'history-title' }, 'Lịch sử'),
      h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Lịch sử báo cáo' }, h('table', { id: 'history' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Thời điểm'), h('th', { scope: 'col' }, 'Thao tác'), h('th', { scope: 'col' }, 'Người thực hiện'), h('th', { scope: 'col' }, 'Ghi chú'))),
        h('tbody', {}, revisions.reverse().map(r => h('tr', { dataset: { revision: r.revision } },
          h('td', {}, dateTime(r.at)), h('td', {}, actionNames[r.action] || r.action), h('td', {}, r.by?.name || r.by?.label || r.by?.keyId || ''),
          h('td', {}, [r.reason, r.backfill ? 'bổ sung sau khóa sổ' : null].filter(Boolean).join('; '),
            r.diff.length ? h('ul', { class: 'changes' }, r.diff.map(d => h('li', {}, d))) : null)))))));
  }

  return { section, draw };
}
