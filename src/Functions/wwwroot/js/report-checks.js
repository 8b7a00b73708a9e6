import { api } from './api.js';
import { checkValues } from './checks.js';
import { h, uid } from './dom.js';
import { dateTime } from './format.js';

const severityNames = { error: 'Lỗi', warning: 'Cảnh báo' };

/**
 * The checks of a report on its page: a list at the top of the form and each check beside the cells it concerns.
 * Rules are evaluated here while the clerk types (from the same definitions the server checks); outliers come from the
 * server's last answer and are set aside for a cell being edited. A reviewer marks a check "cần kiểm tra lại" with a
 * comment; the clerk answers it. Both go into the report's history.
 */
export function reportChecks({ definition, fields, role, url, say, written }) {
  const panel = h('section', { id: 'report-checks', 'aria-labelledby': 'checks-title', class: 'checks' });
  let server = { checks: [], followUps: [], status: null, etag: null };

  /** The checks to show for the values as they stand, the ones being typed included. */
  function current(values, edited) {
    const rules = checkValues(definition, values);
    const outliers = server.checks.filter(c => c.kind !== 'rule' && !c.cells.some(cell => edited.has(cell)));
    return [...rules, ...outliers];
  }

  const concerns = (check, path) => check.cells.some(cell => cell === path || cell === path.split('.')[0]);

  function draw(values, edited) {
    const checks = current(values, edited);
    for (const [path, field] of Object.entries(fields)) {
      const mine = checks.filter(c => concerns(c, path));
      field.checkText.replaceChildren(...mine.map(c => h('span', { class: `check ${c.severity}` }, `${severityNames[c.severity]}: ${c.message}`)));
      field.checkText.hidden = mine.length === 0;
      if (mine.some(c => c.severity === 'error')) field.input.setAttribute('aria-invalid', 'true');
    }
    const errors = checks.filter(c => c.severity === 'error').length, warnings = checks.length - errors;
    const open = server.followUps.filter(f => !f.answer);
    const parts = [h('h2', { id: 'checks-title' }, 'Kiểm tra số liệu')];
    parts.push(h('p', { id: 'checks-summary' }, checks.length === 0 && open.length === 0
      ? 'Không có lỗi hay cảnh báo nào.'
      : `${errors} lỗi (phải sửa trước khi gửi), ${warnings} cảnh báo (không ngăn việc gửi), ${open.length} đề nghị kiểm tra lại chưa trả lời.`));
    if (checks.length) {
      parts.push(h('ul', { id: 'checks-list' }, checks.map(check => h('li', { class: `check ${check.severity}`, dataset: { rule: check.rule } },
        h('strong', {}, `${severityNames[check.severity]}: `), check.message, ' ',
        firstField(check) ? h('button', { type: 'button', class: 'link', onclick: () => firstField(check).input.focus() }, 'Đến ô này') : null,
        canRaise() && server.checks.some(c => c.rule === check.rule) ? raiseForm(check) : null))));
    }
    if (server.followUps.length) {
      parts.push(h('h3', {}, 'Đề nghị kiểm tra lại'), h('ul', { id: 'follow-ups' }, server.followUps.map(followUp)));
    }
    panel.replaceChildren(...parts);
  }

  const firstField = check => Object.entries(fields).find(([path]) => concerns(check, path))?.[1];
  const canRaise = () => (role === 'reviewer' || role === 'admin') && server.status && server.status !== 'draft';
  const canAnswer = () => role === 'reporter' || role === 'admin';

  function raiseForm(check) {
    const id = uid('follow');
    const comment = h('textarea', { id, maxlength: 2000 });
    const box = h('div', { class: 'card', hidden: true },
      h('label', { for: id }, 'Ý kiến gửi đơn vị'), comment,
      h('button', { type: 'button', onclick: async () => {
        if (!comment.value.trim()) { say('Hãy ghi ý kiến.', 'bad'); comment.focus(); return; }
        await send(`${url}/follow-ups`, { rule: check.rule, comment: comment.value.trim() }, 'Đã gửi đề nghị kiểm tra lại cho đơn vị.');
      } }, 'Gửi đề nghị'));
    return [h('button', { type: 'button', class: 'secondary', onclick: () => { box.hidden = false; comment.focus(); } }, 'Cần kiểm tra lại'), box];
  }

  function followUp(item) {
    const who = item.by?.name || item.by?.label || '';
    const parts = [h('p', {}, h('strong', {}, `${who} (${dateTime(item.at)}): `), item.comment)];
    if (item.answer) {
      parts.push(h('p', {}, h('strong', {}, `Trả lời của ${item.answeredBy?.name || item.answeredBy?.label || 'đơn vị'} (${dateTime(item.answeredAt)}): `), item.answer));
    } else if (canAnswer()) {
      const id = uid('answer');
      const answer = h('textarea', { id, maxlength: 2000 });
      parts.push(h('label', { for: id }, 'Trả lời'), answer, h('button', { type: 'button', onclick: async () => {
        if (!answer.value.trim()) { say('Hãy ghi câu trả lời.', 'bad'); answer.focus(); return; }
        await send(`${url}/follow-ups/${item.id}/answer`, { comment: answer.value.trim() }, 'Đã gửi câu trả lời.');
      } }, 'Gửi trả lời'));
    } else parts.push(h('p', { class: 'muted' }, 'Chưa trả lời.'));
    return h('li', { class: item.answer ? 'answered' : 'open', dataset: { followUp: item.id } }, ...parts);
  }

  async function send(path, json, done) {
    try {
      written(await api('POST', path, { json, headers: { 'If-Match': server.etag } }));
      say(done, 'good');
    } catch (error) {
      say(error.problem?.detail || error.message, 'bad');
    }
  }

  /** The server's answer: its checks (outliers included) and follow-ups replace what the page had. */
  function accept(report, etag) {
    server = { checks: report?.checks || [], followUps: report?.followUps || [], status: report?.status || null, etag };
  }

  return { panel, draw, accept };
}
