// Loading and errors in one place: useResource runs `load` when its deps change and on reload();
// a reload keeps the data on screen, so forms below it keep what was typed.
import { html, useCallback, useEffect, useState } from '../lib.js';
import { t, errorText } from '../i18n.js';

export function useResource(load, deps) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}

/** Renders `children(data, reload)` once loaded; a loading line, or the error with a retry. */
export function Resource({ res, children }) {
  if (res.error && res.data === undefined) return html`<${Failure} error=${res.error} retry=${res.reload} />`;
  if (res.data === undefined) return html`<p class="loading" role="status">${t('loading')}</p>`;
  return html`${res.error ? html`<${Failure} error=${res.error} retry=${res.reload} />` : null}${children(res.data, res.reload)}`;
}

export function Failure({ error, retry }) {
  return html`<div class="error" role="alert"><p>${errorText(error)}</p>${retry ? html`<button type="button" onClick=${retry}>${t('retry')}</button>` : null}</div>`;
}
