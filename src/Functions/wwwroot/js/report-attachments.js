import { api, get } from './api.js';
import { h } from './dom.js';
import { number } from './format.js';

/** A report's attachments: the list with sizes, and for the clerk upload (declare, send, complete) and delete. */
export function reportAttachments({ url, say, editable, hasReport }) {
  const section = h('section', { 'aria-labelledby': 'attachments-title' });
  // One file input for the page's life: a redraw (after a save or a sync) keeps the file the clerk has chosen.
  const input = h('input', { type: 'file', id: 'attachment-file', accept: '.pdf,.jpg,.jpeg,.png,.docx,.xlsx' });

  async function draw() {
    const heading = h('h2', { id: 'attachments-title' }, 'Tệp đính kèm');
    if (!hasReport()) {
      section.replaceChildren(heading, h('p', {}, 'Lưu nháp báo cáo trước khi đính kèm tệp.'));
      return;
    }
    const { data } = await get(url);
    const files = data.attachments || [];
    const list = files.length
      ? h('ul', { id: 'attachment-list' }, files.map(file => h('li', {},
        h('a', { href: `${url}/attachments/${file.id}/content` }, file.fileName), ` (${number(Math.ceil(file.size / 1024))} KB${file.status === 'available' ? '' : ', đang kiểm tra'}) `,
        editable() ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
          try { await api('DELETE', `${url}/attachments/${file.id}`); draw(); } catch (error) { say(error.message, 'bad'); }
        } }, 'Xóa', h('span', { class: 'visually-hidden' }, ` ${file.fileName}`)) : null)))
      : h('p', {}, 'Chưa có tệp nào.');
    const parts = [heading, list];
    if (editable()) {
      parts.push(h('div', { class: 'actions' }, h('label', { for: 'attachment-file' }, 'Chọn tệp đính kèm (PDF, ảnh, Word, Excel)'), input,
        h('button', { type: 'button', id: 'upload', onclick: upload }, 'Tải lên')));
    }
    section.replaceChildren(...parts);
  }

  async function upload() {
    const file = input.files?.[0];
    if (!file) { say('Hãy chọn một tệp.', 'bad'); input.focus(); return; }
    try {
      const bytes = await file.arrayBuffer();
      const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map(b => b.toString(16).padStart(2, '0')).join('');
      const contentType = file.type || 'application/octet-stream';
      const { data } = await api('POST', `${url}/attachments`, { json: { fileName: file.name, contentType, size: file.size, sha256: digest } });
      await api('PUT', `${url}/attachments/${data.id}/content`, { body: bytes, contentType });
      await api('POST', `${url}/attachments/${data.id}/complete`);
      say(`Đã tải lên ${file.name}.`, 'good');
      input.value = '';
      draw();
    } catch (error) {
      say(error.problem?.detail || error.message, 'bad');
    }
  }

  return { section, draw };
}
