import { get } from './api.js';
import { h, show, uid } from './dom.js';
import { dateTime, number, parseNumber, periodName, statusNames } from './format.js';
import { reportAttachments } from './report-attachments.js';
import { reportChecks } from './report-checks.js';
import { askedOf, flatten, formBody, formFields, nest, numberProblem, same } from './report-fields.js';
import { reportHistory } from './report-history.js';
import { reportSync } from './report-sync.js';
import { reportWorkbook } from './report-workbook.js';

let page = new AbortController();

/**
 * A report as a form generated from the form definition (the page; its state and sync are report-sync.js, its fields
 * report-fields.js): a clerk fills and saves it (kept in the browser until the
 * server has it), submits it; a reviewer reads it, approves or returns it. A conflicting change is shown, never
 * overwritten.
 */
export default async function reportPage(main, context, [form, period, unit]) {
  page.abort();
  page = new AbortController();
  const signal = page.signal;
  const key = `${form}/${period}/${unit}`;
  const url = `/api/submissions/${form}/${period}/${encodeURIComponent(unit)}`;
  const [{ data: published }, sync, { data: unitInfo }] = await Promise.all([
    get(`/api/forms/${form}?period=${period}`), reportSync(url, key), get(`/api/units/${encodeURIComponent(unit)}`)]);
  // The form as this unit's kind is asked it: a commune sees no enterprise, agency or provincial items.
  const definition = askedOf(published, unitInfo.unit.kind);
  const { state, persist } = sync;
  const role = context.identity.role;
  const editable = () => (role === 'reporter' || role === 'admin') && (!state.report || ['draft', 'returned'].includes(state.report.status));
  const fields = {};
  const notice = h('div', { id: 'report-notice', role: 'status', 'aria-live': 'polite' });
  const conflictArea = h('div', { id: 'conflict' });
  const header = h('div', {});
  const body = h('form', { id: 'report-form', novalidate: true, 'aria-labelledby': 'report-title' });
  const buttons = h('div', { class: 'actions' });
  const hasReport = () => Boolean(state.report);
  const attachments = reportAttachments({ url, say: (...args) => say(...args), editable, hasReport });
  const history = reportHistory({ url, labelOf: path => fields[path]?.label, hasReport });
  const workbook = reportWorkbook({ url, notice, say: (...args) => say(...args), editable, hasEdits: () => Object.keys(state.edits).length > 0,
    accepted: result => {
      state.invalid = {};
      accept(result);
      fill();
      drawHeader();
      drawButtons();
      history.draw();
      attachments.draw();
    } });

  const checks = reportChecks({ definition, fields, role, url, say: (...args) => say(...args), written: result => {
    accept(result);
    fill();
    drawHeader();
    drawButtons();
    history.draw();
  } });
  const say = (text, kind = '') => notice.replaceChildren(text ? h('p', { class: `notice ${kind}` }, text) : '');
  const current = path => path in state.edits ? state.edits[path] : state.saved[path];

  const computed = {};
  const indicatorBlock = formFields({ fields, computed, current, changed, typedWrong: path => Boolean(state.invalid[path]) });

  function changed(path, text) {
    const field = fields[path];
    let value;
    if (field.kind === 'text') value = text === '' ? null : text;
    else if (field.kind === 'boolean') value = text === '' ? null : text === 'true';
    else {
      value = parseNumber(text);
      const problem = numberProblem(field.indicator, value);
      if (problem) {
        // Nothing of what was typed is sent: the field's edit is dropped, the server keeps the last saved value.
        state.invalid[path] = problem;
        delete state.edits[path];
        persist();
        drawState(path);
        return;
      }
    }
    delete state.invalid[path];
    delete state.refused[path];
    state.justSaved.delete(path);
    if (same(value, state.saved[path])) delete state.edits[path];
    else state.edits[path] = value;
    persist();
    drawState(path);
    const code = path.split('.')[0];
    computed[code]?.();
    if (field.counter) field.counter.textContent = `${(text || '').length}/${field.limit} ký tự`;
    drawChecks();
  }

  /** The values as they stand on the page (saved, with the edits over them), as the rules read them. */
  const standing = () => nest(Object.fromEntries(Object.keys({ ...state.saved, ...state.edits })
    .map(p => [p, current(p)]).filter(([, v]) => v !== null && v !== undefined)));
  const drawChecks = () => checks.draw(standing(), new Set(Object.keys(state.edits)));

  function fill() {
    for (const [path, field] of Object.entries(fields)) {
      const value = current(path);
      if (state.invalid[path]) { /* what the clerk typed stays until corrected */ }
      else if (field.kind === 'number') field.input.value = typeof value === 'number' ? number(value) : '';
      else if (field.kind === 'boolean') field.input.value = value === true ? 'true' : value === false ? 'false' : '';
      else field.input.value = value ?? '';
      if (field.counter) field.counter.textContent = `${field.input.value.length}/${field.limit} ký tự`;
      field.input.disabled = !editable();
      drawState(path);
    }
    Object.values(computed).forEach(compute => compute());
    drawChecks();
  }

  function drawState(path) {
    const { input, stateText } = fields[path];
    stateText.className = 'state';
    input.removeAttribute('aria-invalid');
    if (state.invalid[path]) {
      stateText.classList.add('refused');
      const saved = state.saved[path];
      stateText.textContent = `Chưa lưu: ${state.invalid[path]} `
        + (typeof saved === 'number' ? `Giá trị đã lưu (${number(saved)}) được giữ nguyên.` : 'Ô này chưa được lưu.');
      input.setAttribute('aria-invalid', 'true');
    } else if (state.refused[path]) {
      stateText.classList.add('refused');
      stateText.textContent = `Bị từ chối: ${state.refused[path]}`;
      input.setAttribute('aria-invalid', 'true');
    } else if (path in state.edits) {
      stateText.classList.add('waiting');
      stateText.textContent = navigator.onLine ? 'Chờ lưu' : 'Chờ gửi (mất kết nối)';
    } else if (state.justSaved.has(path)) {
      stateText.classList.add('saved');
      stateText.textContent = 'Đã lưu';
    } else stateText.textContent = '';
  }

  // --- saving, submitting, conflicts ------------------------------------------------------------------------------
  function accept({ data, etag }) {
    state.report = data;
    state.etag = etag;
    state.saved = flatten(data.values);
    checks.accept(data, etag);
    // A field the server could not keep: what was typed stays in it, with why, and it is left out of saves until corrected.
    for (const refused of data.refused || []) {
      const path = String(refused.field || '').replace(/^values\./, '');
      const target = fields[path] ? path : Object.keys(fields).find(p => p.split('.')[0] === path);
      if (target) state.invalid[target] = refused.message;
    }
  }

  function showProblems(problem) {
    state.refused = {};
    const loose = [];
    for (const error of problem.errors || []) {
      const path = String(error.field || '').replace(/^values\./, '');
      const target = fields[path] ? path : Object.keys(fields).find(p => p.split('.')[0] === path);
      if (target) state.refused[target] = error.message;
      else loose.push(error.message);
    }
    Object.keys(fields).forEach(drawState);
    say([problem.detail, ...loose].filter(Boolean).join(' '), 'bad');
    const first = Object.keys(state.refused)[0];
    if (first) fields[first].input.focus();
  }

  async function save() {
    const pending = Object.keys(state.edits);
    if (pending.length === 0 && state.report) {
      if (Object.keys(state.invalid).length) { showInvalid(); return false; }
      return true;
    }
    if (!navigator.onLine) {
      pending.forEach(drawState);
      say('Chưa có mạng: các thay đổi được giữ trên máy này và sẽ tự gửi khi có mạng trở lại.');
      return false;
    }
    try {
      const result = await sync.send();
      accept(result);
      state.edits = {};
      state.refused = {};
      pending.forEach(p => state.justSaved.add(p));
      await persist();
      fill();
      drawHeader();
      const left = Object.keys(state.invalid).map(p => fields[p].label);
      say(`Đã lưu nháp lúc ${dateTime(state.report.updatedAt)}.`
        + (left.length ? ` Chưa lưu ${left.length} ô nhập sai: ${left.join('; ')}.` : ''), left.length ? '' : 'good');
      attachments.draw();
      history.draw();
      return true;
    } catch (error) {
      if (error.offline) {
        pending.forEach(drawState);
        say(error.message);
      } else if (error.status === 412) await conflict();
      else if (error.status === 422 || error.status === 400) showProblems(error.problem);
      else say(error.message, 'bad');
      return false;
    }
  }

  async function conflict() {
    const { data, etag, values: server, paths } = await sync.server(current, p => Boolean(fields[p]));
    const shown = v => v === null || v === undefined ? '(trống)' : typeof v === 'number' ? number(v) : v === true ? 'Có' : v === false ? 'Không' : String(v);
    const keepMine = h('button', { type: 'button', onclick: async () => {
      accept({ data, etag });
      for (const p of Object.keys(state.edits)) if (same(state.edits[p], server[p])) delete state.edits[p];
      conflictArea.replaceChildren();
      await persist();
      await save();
    } }, 'Giữ bản của tôi');
    const takeTheirs = h('button', { type: 'button', class: 'secondary', onclick: async () => {
      accept({ data, etag });
      state.edits = {};
      conflictArea.replaceChildren();
      await persist();
      fill();
      drawHeader();
      say('Đã dùng bản hiện có trên máy chủ.', 'good');
    } }, 'Dùng bản trên máy chủ');
    conflictArea.replaceChildren(h('div', { class: 'card conflict', role: 'alert', 'aria-labelledby': 'conflict-title' },
      h('h2', { id: 'conflict-title' }, 'Báo cáo đã được thay đổi ở nơi khác'),
      h('p', {}, `${data.updatedBy?.name || data.updatedBy?.label || 'Người khác'} đã lưu báo cáo lúc ${dateTime(data.updatedAt)}, sau khi bạn mở. `
        + 'Chưa có gì bị ghi đè. Hãy xem các khác biệt và chọn bản giữ lại.'),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Chỉ tiêu'), h('th', { scope: 'col' }, 'Bản của bạn'), h('th', { scope: 'col' }, 'Bản trên máy chủ'))),
        h('tbody', {}, paths.map(p => h('tr', {}, h('th', { scope: 'row' }, fields[p].label), h('td', {}, shown(current(p))), h('td', {}, shown(server[p]))))))),
      h('div', { class: 'actions' }, keepMine, takeTheirs)));
    say('');
    keepMine.focus();
  }

  async function transition(action, json) {
    try {
      accept(await sync.transition(action, json));
      fill();
      drawHeader();
      drawButtons();
      attachments.draw();
      history.draw();
      return true;
    } catch (error) {
      if (error.status === 412) await conflict();
      else if (error.status === 422) showProblems(error.problem);
      else say(error.message, 'bad');
      return false;
    }
  }

  function showInvalid() {
    const labels = Object.keys(state.invalid).map(p => fields[p].label);
    say(`Có ${labels.length} ô nhập sai, chưa được lưu: ${labels.join('; ')}. Hãy sửa trước khi gửi.`, 'bad');
    fields[Object.keys(state.invalid)[0]].input.focus();
  }

  async function submit() {
    if (!(await save())) return;
    if (Object.keys(state.invalid).length) { showInvalid(); return; }
    if (await transition('submit')) say('Đã gửi báo cáo. Người duyệt của cấp trên sẽ xem xét.', 'good');
  }

  // --- page parts -------------------------------------------------------------------------------------------------
  function drawHeader() {
    const status = state.report?.status ?? 'missing';
    header.replaceChildren(...[
      h('h1', { id: 'report-title' }, `${definition.title} — ${periodName(period)}`),
      h('dl', { class: 'meta' },
        h('dt', {}, 'Đơn vị'), h('dd', {}, `${unitInfo.unit.name} (${unit})`),
        h('dt', {}, 'Trạng thái'), h('dd', {}, h('span', { class: `status ${status}`, id: 'report-status' }, statusNames[status])),
        state.report ? [h('dt', {}, 'Cập nhật'), h('dd', {}, `${dateTime(state.report.updatedAt)} — lần ${state.report.revision}`)] : null),
      // The reason stays in view until the report is sent again, drafts saved meanwhile included.
      ['returned', 'draft'].includes(status) && state.report.returnReason
        ? h('div', { class: 'notice bad', role: 'alert', id: 'return-reason' },
          h('strong', {}, status === 'returned' ? 'Báo cáo bị trả lại. ' : 'Báo cáo bị trả lại, chưa gửi lại. '), `Lý do: ${state.report.returnReason}`)
        : null,
      h('p', { class: 'links' }, h('a', { href: `${url}/workbook`, download: '' }, 'Tải biểu mẫu Excel của báo cáo này'),
        state.report ? h('a', { href: `#/in-bao-cao/${form}/${period}/${encodeURIComponent(unit)}`, id: 'print-link' }, 'In báo cáo') : null)].filter(Boolean));
  }

  function drawButtons() {
    const list = [];
    if (editable()) {
      list.push(h('button', { type: 'button', id: 'save', onclick: save }, 'Lưu nháp'));
      list.push(h('button', { type: 'button', id: 'submit', class: 'secondary', onclick: submit }, 'Gửi báo cáo'));
    }
    if ((role === 'reviewer' || role === 'admin') && state.report && ['submitted', 'approved'].includes(state.report.status)) {
      if (state.report.status === 'submitted') {
        list.push(h('button', { type: 'button', id: 'approve', onclick: async () => {
          if (await transition('approve')) say('Đã duyệt báo cáo.', 'good');
        } }, 'Duyệt'));
      }
      const reasonId = uid('reason');
      const reason = h('textarea', { id: reasonId, maxlength: 2000, required: true });
      const confirm = h('div', { class: 'card', hidden: true },
        h('label', { for: reasonId }, 'Lý do trả lại'), reason,
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', id: 'confirm-return', onclick: async () => {
          if (!reason.value.trim()) { say('Hãy ghi lý do trả lại.', 'bad'); reason.focus(); return; }
          if (await transition('return', { reason: reason.value.trim() })) say('Đã trả lại báo cáo cho đơn vị.', 'good');
        } }, 'Xác nhận trả lại')));
      list.push(h('button', { type: 'button', class: 'secondary', id: 'return', onclick: () => { confirm.hidden = false; reason.focus(); } }, 'Trả lại'), confirm);
    }
    buttons.replaceChildren(...list);
    workbook.draw();
  }

  if (definition.indicators.some(i => i.required)) {
    body.append(h('p', { class: 'required-note' }, h('span', { class: 'required', 'aria-hidden': 'true' }, '*'), ' Chỉ tiêu bắt buộc phải có trước khi gửi báo cáo.'));
  }
  body.append(...formBody(definition, indicatorBlock));
  drawHeader();
  drawButtons();
  if (state.report) checks.accept(state.report, state.etag);
  fill();
  workbook.draw();
  show(main, header, notice, conflictArea, checks.panel, workbook.section, body, buttons, attachments.section, history.section);
  attachments.draw();
  history.draw();
  if (Object.keys(state.edits).length) say('Các thay đổi chưa lưu của bạn đã được khôi phục từ máy này.');

  window.addEventListener('beforeunload', event => {
    if (Object.keys(state.edits).length) {
      event.preventDefault();
      event.returnValue = '';
    }
  }, { signal });
  window.addEventListener('online', async () => {
    if (Object.keys(state.edits).length && editable()) await save();
    else Object.keys(fields).forEach(drawState);
  }, { signal });
  window.addEventListener('offline', () => Object.keys(fields).forEach(drawState), { signal });
  window.addEventListener('hashchange', () => page.abort(), { signal, once: true });
}
