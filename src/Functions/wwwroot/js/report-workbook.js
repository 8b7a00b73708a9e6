import { api } from './api.js';
import { h } from './dom.js';
import { dateTime } from './format.js';

const workbookType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The filled-in workbook, handed back: a file picker and a drop zone; the good cells are saved and every problem is
 * named by its cell; a workbook filled from an older revision is refused (412) with a link to the current one.
 * `accepted(result)` redraws the page with the saved report.
 */
export function reportWorkbook({ url, notice, say, editable, hasEdits, accepted }) {
  const input = h('input', { type: 'file', id: 'workbook-file', accept: `.xlsx,${workbookType}` });
  const section = h('section', { 'aria-labelledby': 'workbook-title', class: 'card no-print', id: 'workbook-upload' });

  async function send(file) {
    if (!file) { say('Hãy chọn tệp Excel đã điền.', 'bad'); input.focus(); return; }
    if (hasEdits()) { say('Hãy lưu hoặc bỏ các thay đổi đang nhập trên trang trước khi gửi tệp Excel.', 'bad'); return; }
    try {
      const result = await api('PUT', `${url}/workbook`, { body: await file.arrayBuffer(), contentType: workbookType });
      accepted(result);
      const refused = result.data.refused || [];
      say(refused.length
        ? `Đã nhận ${file.name}; ${refused.length} ô chưa lưu được: ${refused.map(r => r.message).join(' ')}`
        : `Đã nhận ${file.name} và lưu báo cáo lúc ${dateTime(result.data.updatedAt)}.`, refused.length ? 'bad' : 'good');
      input.value = '';
    } catch (error) {
      const problem = error.problem || {};
      const cells = (problem.errors || []).map(e => e.message).filter(m => m !== problem.detail);
      notice.replaceChildren(h('div', { class: 'notice bad', role: 'alert', id: 'workbook-problems' },
        h('p', {}, problem.detail || error.message),
        cells.length ? h('ul', {}, cells.map(m => h('li', {}, m))) : null,
        error.status === 412 ? h('p', {}, h('a', { href: `${url}/workbook`, download: '' }, 'Tải biểu mẫu Excel mới nhất')) : null));
    }
  }

  function draw() {
    if (!editable()) { section.replaceChildren(); return; }
    const drop = h('div', { class: 'drop-zone', id: 'workbook-drop' }, 'Hoặc kéo tệp Excel đã điền thả vào đây.');
    drop.addEventListener('dragover', event => { event.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', event => { event.preventDefault(); drop.classList.remove('over'); send(event.dataTransfer.files[0]); });
    section.replaceChildren(h('h2', { id: 'workbook-title' }, 'Nộp biểu mẫu Excel đã điền'),
      h('p', {}, 'Tải biểu mẫu Excel ở trên, điền rồi gửi lại tại đây: các ô đúng được lưu, mỗi lỗi được chỉ rõ theo ô.'),
      h('div', { class: 'actions' }, h('label', { for: 'workbook-file' }, 'Chọn tệp Excel đã điền'), input,
        h('button', { type: 'button', id: 'send-workbook', onclick: () => send(input.files?.[0]) }, 'Gửi tệp Excel')),
      drop);
  }

  return { section, draw };
}
