import { api, ApiError } from './api.js';
import { h, show, uid } from './dom.js';
import { number, periodName } from './format.js';

const actionNames = { create: 'Tạo mới', update: 'Cập nhật', unchanged: 'Không đổi' };
/** The file's columns by their Vietnamese names; any other column is an indicator's code. */
const columnNames = {
  unit: 'mã đơn vị', indicator: 'mã chỉ tiêu', category: 'phân loại', value: 'giá trị', numerator: 'tử số', denominator: 'mẫu số',
  period: 'kỳ', dataValues: 'dataValues',
};
const where = p => p.cell ? `Ô ${p.cell}` : `Dòng ${p.row}, ${columnNames[p.column] ? `cột ${columnNames[p.column]}` : `chỉ tiêu ${p.column}`}`;
const workbookType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Past years in: a file of the rollup export (workbook or CSV) or a DHIS2 data value set, checked first, then written. */
export default async function importPage(main, context) {
  const { form } = context;
  const year = Number((context.today || new Date().toISOString()).slice(0, 4));
  const periods = [];
  for (let y = year - 1; y >= 2016; y--) for (let q = 4; q >= 1; q--) periods.push(`${y}Q${q}`);
  const periodId = uid('period'), fileId = uid('file');
  const periodSelect = h('select', { id: periodId }, periods.map(p => h('option', { value: p }, periodName(p))));
  const fileInput = h('input', { id: fileId, type: 'file', accept: `.xlsx,.csv,.json,.xml,${workbookType},text/csv,application/json,application/xml` });
  const status = h('p', { id: 'import-status', role: 'status' });
  const progress = h('progress', { id: 'import-progress', hidden: true, 'aria-label': 'Đang xử lý tệp' });
  const results = h('div', { id: 'import-results' });
  const check = h('button', { type: 'button', id: 'import-check' }, 'Kiểm tra tệp');
  const write = h('button', { type: 'button', id: 'import-write', disabled: true }, 'Ghi vào hệ thống');

  async function send(dryRun) {
    const file = fileInput.files[0];
    if (!file) { status.textContent = 'Hãy chọn tệp.'; return null; }
    const workbook = /\.xlsx$/i.test(file.name);
    const body = workbook ? await file.arrayBuffer() : await file.text();
    const size = workbook ? `${number(Math.ceil(file.size / 1024))} KB` : `${number(body.split('\n').length)} dòng`;
    progress.hidden = false;
    status.textContent = `${dryRun ? 'Đang kiểm tra' : 'Đang ghi'} ${file.name} (${size})…`;
    check.disabled = write.disabled = true;
    try {
      const type = workbook ? workbookType : /^\s*\{/.test(body) ? 'application/json' : /^\s*</.test(body) ? 'application/xml' : 'text/csv';
      const url = `/api/manage/imports/${form}/${periodSelect.value}?dryRun=${dryRun}&fileName=${encodeURIComponent(file.name)}`;
      return (await api('POST', url, { body, contentType: type })).data;
    } catch (error) {
      const problems = error instanceof ApiError ? (error.problem.errors || []) : [];
      status.textContent = error.message;
      results.replaceChildren(problems.length ? problemTable(problems.map(p => ({ where: p.field, message: p.message }))) : '');
      return null;
    } finally {
      progress.hidden = true;
      check.disabled = false;
    }
  }

  check.addEventListener('click', async () => {
    const outcome = await send(true);
    if (!outcome) return;
    const changes = outcome.reports.filter(r => r.action !== 'unchanged').length;
    status.textContent = outcome.problems.length
      ? `Tệp có ${number(outcome.problems.length)} lỗi; hãy sửa tệp rồi kiểm tra lại. Chưa có dữ liệu nào được ghi.`
      : `Tệp hợp lệ: ${number(outcome.reports.length)} báo cáo (${number(changes)} sẽ được ghi), ${number(outcome.rows)} dòng.`;
    write.disabled = outcome.problems.length > 0 || changes === 0;
    results.replaceChildren(
      outcome.problems.length ? problemTable(outcome.problems.map(p => ({ where: where(p), message: p.message }))) : '',
      reportTable(outcome.reports),
      outcome.skippedTotals.length ? h('p', {}, `Bỏ qua số liệu tổng của: ${outcome.skippedTotals.join(', ')} (là tổng của các đơn vị trực thuộc).`) : '');
  });
  write.addEventListener('click', async () => {
    const outcome = await send(false);
    if (!outcome) return;
    status.textContent = `Đã ghi ${number(outcome.written)} báo cáo của ${periodName(outcome.period)}.`;
    results.replaceChildren(reportTable(outcome.reports));
  });

  show(main,
    h('h1', {}, 'Nhập số liệu các năm trước'),
    h('p', {}, 'Tệp Excel xuất từ trang Tổng hợp (trang tính “Số liệu đơn vị”, mỗi dòng một báo cáo), tệp CSV xuất từ trang Tổng hợp '
      + '(mỗi dòng một đơn vị, chỉ tiêu và phân loại) hoặc tập giá trị dữ liệu DHIS2 (JSON hoặc ADX XML). '
      + 'Tệp được kiểm tra trước; chỉ ghi khi không còn lỗi, mỗi báo cáo được ghi trọn vẹn và ghi nhận trong lịch sử.'),
    h('div', { class: 'filters' },
      h('label', { for: periodId }, 'Kỳ báo cáo', periodSelect),
      h('label', { for: fileId }, 'Tệp số liệu', fileInput)),
    h('div', { class: 'downloads' }, check, write),
    progress, status, results);
}

function problemTable(rows) {
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Các lỗi của tệp' }, h('table', { id: 'import-problems' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Vị trí'), h('th', { scope: 'col' }, 'Lỗi'))),
    h('tbody', {}, rows.map(r => h('tr', {}, h('th', { scope: 'row' }, r.where), h('td', {}, r.message))))));
}

function reportTable(reports) {
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Các báo cáo trong tệp' }, h('table', { id: 'import-reports' },
    h('thead', {}, h('tr', {}, ['Đơn vị', 'Thao tác', 'Số dòng'].map((t, i) => h('th', { scope: 'col', class: i === 2 ? 'number' : null }, t)))),
    h('tbody', {}, reports.map(r => h('tr', { dataset: { unit: r.unit } },
      h('th', { scope: 'row' }, `${r.name || r.unit} (${r.unit})`), h('td', {}, actionNames[r.action] || r.action),
      h('td', { class: 'number' }, number(r.rows.length)))))));
}
