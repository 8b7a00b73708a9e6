import { api, find, get } from './api.js';
import { flatten, nest, same } from './report-fields.js';
import { dropEdits, loadEdits, saveEdits } from './store.js';

/**
 * A report's state and its sync with the server and this browser: what the server has (`saved`, its ETag), the
 * clerk's edits over it (kept in the browser until the server has them, restored on the next visit against the base
 * they were made on, so that a change made meanwhile on the server is a 412, shown), and the requests that send them.
 */
export async function reportSync(url, key) {
  const found = await find(url);
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
    if (stored.etag !== state.etag) {
      state.etag = stored.etag;
      state.saved = stored.base;
    }
  }

  return {
    state,
    /** Keeps the edits in this browser (or forgets them when there are none). */
    persist: () => Object.keys(state.edits).length
      ? saveEdits(key, { etag: state.etag, base: state.saved, edits: state.edits })
      : dropEdits(key),
    /** Sends the edits: a merge patch against the ETag, or the whole report when it does not exist yet. */
    send: () => state.report
      ? api('PATCH', url, { json: { values: nest(state.edits) }, contentType: 'application/merge-patch+json', headers: { 'If-Match': state.etag } })
      : api('PUT', url, { json: { values: nest({ ...state.saved, ...state.edits }) } }),
    /** submit, approve, return … against the ETag. */
    transition: (action, json) => api('POST', `${url}/${action}`, { json, headers: { 'If-Match': state.etag } }),
    /** The report as the server has it now, and the paths where it differs from what the page shows. */
    async server(current, known) {
      const { data, etag } = await get(url);
      const values = flatten(data.values);
      const paths = [...new Set([...Object.keys(state.edits), ...Object.keys(values), ...Object.keys(state.saved)])]
        .filter(p => known(p) && !same(values[p], current(p)));
      return { data, etag, values, paths };
    },
  };
}
