import { api, ApiError, useCsrf, whenSignedOut } from './api.js';
import { h, show } from './dom.js';
import { roleNames } from './format.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const connection = document.getElementById('connection');

/** Who is signed in (unit, unit name, role), or null. The browser keeps only the session cookie. */
const context = { identity: null, form: 'QCDC-Q', today: null };

const pages = {
  '': () => context.identity.role === 'reporter' ? import('./home.js') : import('./review.js'),
  'bao-cao': () => import('./report.js'),
  'duyet': () => import('./review.js'),
  'tong-hop': () => import('./dashboard.js'),
  'nhap-so-lieu': () => import('./import.js'),
  'in-bao-cao': () => import('./print.js'),
};

function route() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [page, ...parts] = path.split('/').map(decodeURIComponent);
  return { page: page || '', parts, query: new URLSearchParams(query) };
}


let renders = 0;

/** Draws the page of the current address off-screen, and shows it only if no newer navigation has started since. */
async function render() {
  const token = ++renders;
  if (!context.identity) return signIn();
  const { page, parts, query } = route();
  const load = pages[page] ?? pages[''];
  drawNav(page);
  const target = document.createElement('div');
  try {
    const module = await load();
    await module.default(target, context, parts, query);
    if (token === renders) show(main, [...target.childNodes]);
  } catch (error) {
    if (token !== renders || (error instanceof ApiError && error.status === 401)) return;
    show(main, h('h1', {}, 'Không mở được trang'), h('p', { class: 'problem', role: 'alert' }, error.message));
  }
}

function drawNav(page) {
  const links = [];
  const role = context.identity.role;
  if (role === 'reporter') links.push(['', 'Báo cáo của đơn vị']);
  if (role !== 'reporter') links.push(['duyet', 'Duyệt báo cáo']);
  links.push(['tong-hop', 'Tổng hợp']);
  if (role !== 'reporter') links.push(['nhap-so-lieu', 'Nhập số liệu']);
  nav.replaceChildren(...links.map(([target, text]) =>
    h('a', { href: `#/${target}`, 'aria-current': (page === target || (target === '' && page === '') || (target === 'duyet' && page === '' && role !== 'reporter')) ? 'page' : null }, text)));
  const identity = context.identity;
  who.replaceChildren(
    h('span', { id: 'who-unit' }, identity.unitName || identity.unit || 'Toàn hệ thống'),
    h('span', { id: 'who-role' }, `(${roleNames[identity.role] || identity.roleName})`),
    h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Đăng xuất'));
}

function signIn(message) {
  renders++;
  nav.replaceChildren();
  who.replaceChildren();
  const field = h('input', { id: 'key', name: 'key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const problem = h('p', { class: 'problem', role: 'alert', id: 'signin-problem' }, message || '');
  const form = h('form', { class: 'card signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Đăng nhập'),
    h('p', {}, 'Nhập mã truy cập do cơ quan quản lý cấp cho đơn vị.'),
    h('label', { for: 'key' }, 'Mã truy cập'),
    field,
    problem,
    h('button', { type: 'submit' }, 'Đăng nhập'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    problem.textContent = '';
    try {
      const { data } = await api('POST', '/api/session', { json: { key: field.value.trim() } });
      field.value = '';
      accept(data);
      render();
    } catch (error) {
      problem.textContent = error.status === 401 ? 'Mã truy cập không đúng hoặc đã bị thu hồi.' : error.message;
      field.focus();
    }
  });
  show(main, form);
  field.focus();
}

function accept(identity) {
  context.identity = identity;
  useCsrf(identity.csrfToken);
}

async function signOut() {
  try { await api('DELETE', '/api/session'); } catch { /* the cookie is gone either way */ }
  context.identity = null;
  useCsrf(null);
  signIn();
}

whenSignedOut(() => {
  if (!context.identity) return;
  context.identity = null;
  useCsrf(null);
  signIn('Phiên làm việc đã hết hạn. Đăng nhập lại để tiếp tục; những gì bạn đã nhập vẫn được giữ.');
});

function showConnection() {
  connection.textContent = navigator.onLine ? '' : 'Mất kết nối mạng. Các thay đổi được giữ trên máy này và sẽ được gửi khi có mạng trở lại.';
}
window.addEventListener('online', showConnection);
window.addEventListener('offline', showConnection);
window.addEventListener('hashchange', render);

async function start() {
  showConnection();
  try {
    const { data } = await api('GET', '/api/session');
    accept(data);
  } catch {
    context.identity = null;
  }
  render();
}

start();
