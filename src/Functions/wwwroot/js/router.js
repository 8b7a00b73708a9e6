/**
 * Moves to a page of the app by its address; the same address again draws the page again (the shell listens to
 * hashchange). Pages import this, never the shell that loads them.
 */
export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}
