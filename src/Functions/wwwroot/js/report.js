import { api, find, get } from './api.js';
import { h, show, uid } from './dom.js';
import { dateTime, number, parseNumber, percent, periodName, statusNames } from './format.js';
import { reportChecks } from './report-checks.js';
import { dropEdits, loadEdits, saveEdits } from './store.js';

let page = new AbortController();

const actionNames = {
  created: 'Tạo mới', updated: 'Cập nhật', submitted: 'Gửi báo cáo', approved: 'Duyệt', returned: 'Trả lại', imported: 'Nhập từ tệp',
  'follow-up-raised': 'Đề nghị kiểm tra lại', 'follow-up-answered': 'Trả lời đề nghị kiểm tra lại',
};

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

const same = (a, b) => (a ?? null) === (b ?? null);

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

/**
 * A report as a form generated from the form definition: a clerk fills and saves it (kept in the browser until the
 * server has it), submits it; a reviewer reads it, approves or returns it. A conflicting change is shown, never
 * overwritten.
 */
export default async function reportPage(main, context, [form, period, unit]) {
  page.abort();
  page = new AbortController();
  const signal = page.signal;
  const key = `${form}/${period}/${unit}`;
  const url = `/api/submissions/${form}/${period}/${encodeURIComponent(unit)}`;
  const [{ data: definition }, found, { data: unitInfo }] = await Promise.all([
    get(`/api/forms/${form}?period=${period}`), find(url), get(`/api/units/${encodeURIComponent(unit)}`)]);
  const state = {
    report: found?.data ?? null,
    etag: found?.etag ?? null,
    saved: flatten(found?.data?.values),
    edits: {},
    refused: {},
    // Refused while typing: the field is left out of every save (the server keeps its last saved value) until it reads right.
    invalid: {},
    justSaved: new Set(),
  };
  const stored = await loadEdits(key);
  if (stored && Object.keys(stored.edits || {}).length) {
    state.edits = stored.edits;
    // Edits made on another base are saved against that base: a change made since then on the server is a 412, shown.
    if (stored.etag !== state.etag) {
      state.etag = stored.etag;
      state.saved = stored.base;
    }
  }
  const role = context.identity.role;
  const editable = () => (role === 'reporter' || role === 'admin') && (!state.report || ['draft', 'returned'].includes(state.report.status));
  const fields = {};
  const notice = h('div', { id: 'report-notice', role: 'status', 'aria-live': 'polite' });
  const conflictArea = h('div', { id: 'conflict' });
  const header = h('div', {});
  const body = h('form', { id: 'report-form', novalidate: true, 'aria-labelledby': 'report-title' });
  const buttons = h('div', { class: 'actions' });
  const attachments = h('section', { 'aria-labelledby': 'attachments-title' });
  const history = h('section', { 'aria-labelledby': 'history-title' });

  const checks = reportChecks({ definition, fields, role, url, say: (...args) => say(...args), written: result => {
    accept(result);
    fill();
    drawHeader();
    drawButtons();
    drawHistory();
  } });
  const say = (text, kind = '') => notice.replaceChildren(text ? h('p', { class: `notice ${kind}` }, text) : '');
  const persist = () => Object.keys(state.edits).length
    ? saveEdits(key, { etag: state.etag, base: state.saved, edits: state.edits })
    : dropEdits(key);
  const current = path => path in state.edits ? state.edits[path] : state.saved[path];

  // --- fields -----------------------------------------------------------------------------------------------------
  function numberField(path, label, unitText, indicator) {
    const id = uid('f');
    const stateId = `${id}-state`;
    const input = h('input', { id, name: path, type: 'text', inputmode: indicator.type === 'integer' || indicator.type === 'ratio' ? 'numeric' : 'decimal',
      autocomplete: 'off', 'aria-describedby': `${stateId} ${id}-check`, dataset: { path } });
    const stateText = h('span', { id: stateId, class: 'state', 'aria-live': 'polite' });
    const checkText = h('p', { id: `${id}-check`, class: 'field-checks', hidden: true });
    fields[path] = { input, stateText, checkText, label, indicator, kind: 'number' };
    input.addEventListener('input', () => changed(path, input.value));
    // Written the Vietnamese way once typed — unless it was refused: then what was typed stays, to be corrected.
    input.addEventListener('blur', () => { const v = current(path); if (typeof v === 'number' && !state.invalid[path]) input.value = number(v); });
    return h('div', { class: 'field' }, h('label', { for: id }, label), input, h('span', { class: 'unit' }, unitText || ''), stateText, checkText);
  }

  function textField(indicator) {
    const id = uid('f');
    const path = indicator.code;
    const limit = indicator.maxLength || 8000;
    const counter = h('p', { class: 'counter', id: `${id}-count`, 'aria-live': 'polite' });
    const stateText = h('p', { id: `${id}-state`, class: 'state', 'aria-live': 'polite' });
    const input = h('textarea', { id, name: path, maxlength: limit, 'aria-describedby': `${id}-count ${id}-state`, dataset: { path } });
    const checkText = h('p', { class: 'field-checks', hidden: true });
    fields[path] = { input, stateText, checkText, label: indicator.label, indicator, kind: 'text', counter, limit };
    input.addEventListener('input', () => changed(path, input.value));
    return h('div', { class: 'text-field' }, h('label', { for: id }, indicator.label), input, counter, stateText, checkText);
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
    return h('div', { class: 'field' }, h('label', { for: id }, indicator.label), input, h('span', { class: 'unit' }), stateText, checkText);
  }

  const computed = {};
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
      return h('fieldset', {}, h('legend', {}, indicator.label),
        numberField(`${indicator.code}.numerator`, `${indicator.label} — tử số`, unitText, indicator),
        numberField(`${indicator.code}.denominator`, `${indicator.label} — mẫu số`, unitText, indicator),
        output);
    }
    if (indicator.categories?.length) {
      const output = h('output', { class: 'computed', id: uid('total') });
      computed[indicator.code] = () => {
        const parts = indicator.categories.map(c => current(`${indicator.code}.${c.code}`)).filter(v => typeof v === 'number');
        output.textContent = `Tổng: ${parts.length ? number(parts.reduce((a, b) => a + b, 0)) : '—'} ${unitText || ''}`;
      };
      return h('fieldset', {}, h('legend', {}, indicator.label),
        indicator.categories.map(c => numberField(`${indicator.code}.${c.code}`, `${indicator.label} — ${c.label}`, unitText, indicator)),
        output);
    }
    return numberField(indicator.code, indicator.label, unitText, indicator);
  }

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
      const result = state.report
        ? await api('PATCH', url, { json: { values: nest(state.edits) }, contentType: 'application/merge-patch+json', headers: { 'If-Match': state.etag } })
        : await api('PUT', url, { json: { values: nest({ ...state.saved, ...state.edits }) } });
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
      drawAttachments();
      drawHistory();
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
    const { data, etag } = await get(url);
    const server = flatten(data.values);
    const paths = [...new Set([...Object.keys(state.edits), ...Object.keys(server), ...Object.keys(state.saved)])]
      .filter(p => fields[p] && !same(server[p], current(p)));
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
      accept(await api('POST', `${url}/${action}`, { json, headers: { 'If-Match': state.etag } }));
      fill();
      drawHeader();
      drawButtons();
      drawAttachments();
      drawHistory();
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

  // --- the filled-in workbook, handed back -------------------------------------------------------------------------
  const workbookType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const workbookInput = h('input', { type: 'file', id: 'workbook-file', accept: `.xlsx,${workbookType}` });
  const workbookArea = h('section', { 'aria-labelledby': 'workbook-title', class: 'card no-print', id: 'workbook-upload' });

  async function sendWorkbook(file) {
    if (!file) { say('Hãy chọn tệp Excel đã điền.', 'bad'); workbookInput.focus(); return; }
    if (Object.keys(state.edits).length) { say('Hãy lưu hoặc bỏ các thay đổi đang nhập trên trang trước khi gửi tệp Excel.', 'bad'); return; }
    try {
      const result = await api('PUT', `${url}/workbook`, { body: await file.arrayBuffer(), contentType: workbookType });
      state.invalid = {};
      accept(result);
      fill();
      drawHeader();
      drawButtons();
      drawHistory();
      drawAttachments();
      const refused = result.data.refused || [];
      say(refused.length
        ? `Đã nhận ${file.name}; ${refused.length} ô chưa lưu được: ${refused.map(r => r.message).join(' ')}`
        : `Đã nhận ${file.name} và lưu báo cáo lúc ${dateTime(result.data.updatedAt)}.`, refused.length ? 'bad' : 'good');
      workbookInput.value = '';
    } catch (error) {
      const problem = error.problem || {};
      const cells = (problem.errors || []).map(e => e.message).filter(m => m !== problem.detail);
      notice.replaceChildren(h('div', { class: 'notice bad', role: 'alert', id: 'workbook-problems' },
        h('p', {}, problem.detail || error.message),
        cells.length ? h('ul', {}, cells.map(m => h('li', {}, m))) : null,
        error.status === 412 ? h('p', {}, h('a', { href: `${url}/workbook`, download: '' }, 'Tải biểu mẫu Excel mới nhất')) : null));
    }
  }

  function drawWorkbookUpload() {
    if (!editable()) { workbookArea.replaceChildren(); return; }
    const drop = h('div', { class: 'drop-zone', id: 'workbook-drop' }, 'Hoặc kéo tệp Excel đã điền thả vào đây.');
    drop.addEventListener('dragover', event => { event.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', event => { event.preventDefault(); drop.classList.remove('over'); sendWorkbook(event.dataTransfer.files[0]); });
    workbookArea.replaceChildren(h('h2', { id: 'workbook-title' }, 'Nộp biểu mẫu Excel đã điền'),
      h('p', {}, 'Tải biểu mẫu Excel ở trên, điền rồi gửi lại tại đây: các ô đúng được lưu, mỗi lỗi được chỉ rõ theo ô.'),
      h('div', { class: 'actions' }, h('label', { for: 'workbook-file' }, 'Chọn tệp Excel đã điền'), workbookInput,
        h('button', { type: 'button', id: 'send-workbook', onclick: () => sendWorkbook(workbookInput.files?.[0]) }, 'Gửi tệp Excel')),
      drop);
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
    drawWorkbookUpload();
  }

  const fileInput = h('input', { type: 'file', id: 'attachment-file', accept: '.pdf,.jpg,.jpeg,.png,.docx,.xlsx' });

  async function drawAttachments() {
    const heading = h('h2', { id: 'attachments-title' }, 'Tệp đính kèm');
    if (!state.report) {
      attachments.replaceChildren(heading, h('p', {}, 'Lưu nháp báo cáo trước khi đính kèm tệp.'));
      return;
    }
    const { data } = await get(url);
    const files = data.attachments || [];
    const list = files.length
      ? h('ul', { id: 'attachment-list' }, files.map(file => h('li', {},
        h('a', { href: `${url}/attachments/${file.id}/content` }, file.fileName), ` (${number(Math.ceil(file.size / 1024))} KB${file.status === 'available' ? '' : ', đang kiểm tra'}) `,
        editable() ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
          try { await api('DELETE', `${url}/attachments/${file.id}`); drawAttachments(); } catch (error) { say(error.message, 'bad'); }
        } }, 'Xóa', h('span', { class: 'visually-hidden' }, ` ${file.fileName}`)) : null)))
      : h('p', {}, 'Chưa có tệp nào.');
    const parts = [heading, list];
    if (editable()) {
      // One file input for the page's life: a redraw (after a save or a sync) keeps the file the clerk has chosen.
      const input = fileInput;
      parts.push(h('div', { class: 'actions' }, h('label', { for: 'attachment-file' }, 'Chọn tệp đính kèm (PDF, ảnh, Word, Excel)'), input,
        h('button', { type: 'button', id: 'upload', onclick: () => upload(input) }, 'Tải lên')));
    }
    attachments.replaceChildren(...parts);
  }

  async function upload(input) {
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
      drawAttachments();
    } catch (error) {
      say(error.problem?.detail || error.message, 'bad');
    }
  }

  /** What a revision changed, field by field, from what to what ("Văn bản lãnh đạo: 3 → 5"). */
  function changes(before, after) {
    const [was, now] = [flatten(before), flatten(after)];
    const shown = v => v === null || v === undefined ? '(trống)' : typeof v === 'number' ? number(v) : v === true ? 'Có' : v === false ? 'Không'
      : String(v).length > 60 ? `${String(v).slice(0, 57)}…` : String(v);
    return [...new Set([...Object.keys(was), ...Object.keys(now)])].filter(p => !same(was[p], now[p]))
      .map(p => `${fields[p]?.label || p}: ${shown(was[p])} → ${shown(now[p])}`);
  }

  async function drawHistory() {
    if (!state.report) { history.replaceChildren(); return; }
    const { data } = await get(`${url}/history`);
    const revisions = data.revisions.map((r, i) => ({ ...r, diff: changes(i === 0 ? {} : data.revisions[i - 1].values, r.values) }));
    history.replaceChildren(h('h2', { id: 'history-title' }, 'Lịch sử'),
      h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Lịch sử báo cáo' }, h('table', { id: 'history' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Thời điểm'), h('th', { scope: 'col' }, 'Thao tác'), h('th', { scope: 'col' }, 'Người thực hiện'), h('th', { scope: 'col' }, 'Ghi chú'))),
        h('tbody', {}, revisions.reverse().map(r => h('tr', { dataset: { revision: r.revision } },
          h('td', {}, dateTime(r.at)), h('td', {}, actionNames[r.action] || r.action), h('td', {}, r.by?.name || r.by?.label || r.by?.keyId || ''),
          h('td', {}, [r.reason, r.backfill ? 'bổ sung sau khóa sổ' : null].filter(Boolean).join('; '),
            r.diff.length ? h('ul', { class: 'changes' }, r.diff.map(d => h('li', {}, d))) : null)))))));
  }

  body.append(...definition.indicators.map(indicatorBlock));
  drawHeader();
  drawButtons();
  if (state.report) checks.accept(state.report, state.etag);
  fill();
  drawWorkbookUpload();
  show(main, header, notice, conflictArea, checks.panel, workbookArea, body, buttons, attachments, history);
  drawAttachments();
  drawHistory();
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
