// Edits kept in the browser (IndexedDB) until the server has them: offline, a closed tab, an expired session.
const name = 'qcdc-pages';
let database;

function open() {
  database ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('edits');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return database;
}

async function run(mode, action) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction('edits', mode);
    const request = action(transaction.objectStore('edits'));
    transaction.oncomplete = () => resolve(request?.result);
    transaction.onerror = () => reject(transaction.error);
  });
}

export const loadEdits = key => run('readonly', store => store.get(key));
export const saveEdits = (key, edits) => run('readwrite', store => store.put(edits, key));
export const dropEdits = key => run('readwrite', store => store.delete(key));
