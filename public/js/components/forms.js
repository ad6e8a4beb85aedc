// Forms that keep what was typed: every change is saved as a draft in sessionStorage, so a
// failed send, a reload or a dropped connection loses nothing. A draft holds only what the user
// typed (and the fill's idempotency key): defaults such as "now" or the method for the child's
// age are worked out again when the form is shown and when it is sent, so a draft never carries
// a stale default. A draft goes when the send succeeds.
import { html, useEffect, useRef, useState } from '../lib.js';
import { t, errorText, fieldErrors } from '../i18n.js';

const DRAFT = (id) => `tuntas.draft.${id}`;

function readDraft(id) {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFT(id)) ?? 'null');
  } catch {
    return null;
  }
}

/**
 * props: id, title, submitLabel, doneText, hint (shown after a network failure),
 * defaults(typed) → the values the user has not typed, once() → values fixed for one fill (an
 * idempotency key), submit(values) → result ({queued: true} when it waits for signal),
 * onDone(result), restore ({seq, values, error}: a refused write coming back), render(f).
 */
export function DraftForm(props) {
  const { id, title, submitLabel, render, hint } = props;
  const [typed, setTyped] = useState(() => ({ ...(props.once?.() ?? {}), ...(readDraft(id) ?? {}) }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const labels = useRef({});

  // A refused write coming back: its values and the server's reasons, as a fresh fill.
  useEffect(() => {
    const r = props.restore;
    if (!r) return;
    const next = { ...(props.once?.() ?? {}), ...r.values };
    sessionStorage.setItem(DRAFT(id), JSON.stringify(next));
    setTyped(next);
    setError(r.error);
    setDone(null);
    props.onRestored?.();
  }, [props.restore?.seq]);

  const values = { ...(props.defaults?.(typed) ?? {}), ...typed };
  const set = (name, value) => {
    const next = { ...typed, [name]: value };
    sessionStorage.setItem(DRAFT(id), JSON.stringify(next));
    setTyped(next);
    setDone(null);
  };
  const errs = fieldErrors(error);
  const fieldError = (name) => {
    const hit = Object.keys(errs).find((f) => f === name || f.startsWith(`${name}.`) || f.startsWith(`${name}[`));
    return hit ? errs[hit] : null;
  };
  const f = { id, values, set, fieldError, labels: labels.current };

  async function submit(e) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setDone(null);
    sessionStorage.setItem(DRAFT(id), JSON.stringify(typed));
    try {
      const result = await props.submit({ ...(props.defaults?.(typed) ?? {}), ...typed });
      sessionStorage.removeItem(DRAFT(id));
      setTyped({ ...(props.once?.() ?? {}) });
      setDone(result?.queued ? t('queuedOffline') : (props.doneText ?? t('saved')));
      props.onDone?.(result);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return html`<form class="card form" id=${`form-${id}`} onSubmit=${submit} novalidate aria-busy=${busy ? 'true' : 'false'}>
    ${title ? html`<h3>${title}</h3>` : null}
    ${render(f)}
    ${error
      ? html`<div class="error" role="alert">
          <p>${errorText(error)}</p>
          ${Object.keys(errs).length
            ? html`<p>${t('fieldsInvalid')}</p><ul>${Object.entries(errs).map(([name, reason]) => html`<li><strong>${labelOf(f.labels, name)}</strong>: ${reason}</li>`)}</ul>`
            : null}
          ${error.code === 'NETWORK' && hint ? html`<p>${hint}</p>` : null}
        </div>`
      : null}
    ${done ? html`<p class="ok" role="status">${done}</p>` : null}
    <button type="submit" disabled=${busy}>${busy ? t('loading') : (submitLabel ?? t('send'))}</button>
  </form>`;
}

/** The label of a field the form shows (`recommendations.0.action` → the label of `recommendations`). */
function labelOf(labels, name) {
  if (labels[name]) return labels[name];
  const parts = name.split(/[.[\]]+/).filter(Boolean);
  for (let i = parts.length - 1; i > 0; i--) {
    const key = parts.slice(0, i).join('.');
    if (labels[key]) return `${labels[key]} ${Number.isInteger(Number(parts[i])) ? Number(parts[i]) + 1 : parts[i]}`;
  }
  return name;
}

const fid = (f, name) => `${f.id}-${name}`.replace(/[^a-zA-Z0-9_-]/g, '-');

export function field(f, name, label, control, help) {
  f.labels[name] = label;
  const err = f.fieldError(name);
  const id = fid(f, name);
  return html`<div class=${err ? 'field invalid' : 'field'}>
    <label for=${id}>${label}</label>
    ${help ? html`<p class="help" id=${`${id}-help`}>${help}</p>` : null}
    ${control}
    ${err ? html`<p class="field-error" id=${`${id}-err`}>${err}</p>` : null}
  </div>`;
}

const described = (f, name, help) => {
  const id = fid(f, name);
  const ids = [help ? `${id}-help` : null, f.fieldError(name) ? `${id}-err` : null].filter(Boolean);
  return { id, 'aria-invalid': f.fieldError(name) ? 'true' : 'false', 'aria-describedby': ids.length ? ids.join(' ') : undefined };
};

export function input(f, name, label, attrs = {}) {
  const { help, ...rest } = attrs;
  return field(f, name, label, html`<input name=${name} value=${f.values[name] ?? ''} onInput=${(e) => f.set(name, e.currentTarget.value)} ...${described(f, name, help)} ...${rest} />`, help);
}

export function textarea(f, name, label, attrs = {}) {
  const { help, ...rest } = attrs;
  return field(f, name, label, html`<textarea name=${name} rows="3" onInput=${(e) => f.set(name, e.currentTarget.value)} ...${described(f, name, help)} ...${rest}>${f.values[name] ?? ''}</textarea>`, help);
}

/** options: [value, label]; with `placeholder` an empty first choice that is not a value. */
export function select(f, name, label, options, attrs = {}) {
  const { help, placeholder, ...rest } = attrs;
  const value = f.values[name] ?? '';
  return field(f, name, label, html`<select name=${name} onChange=${(e) => f.set(name, e.currentTarget.value)} ...${described(f, name, help)} ...${rest}>
    ${placeholder !== undefined ? html`<option value="" selected=${value === ''} disabled>${placeholder}</option>` : null}
    ${options.map(([v, l]) => html`<option value=${v} selected=${v === value}>${l}</option>`)}
  </select>`, help);
}

/** A local date-time input value (in the browser's zone) for now, and back to ISO. */
export const nowLocal = () => {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
};
export const localToIso = (v) => new Date(v).toISOString();
export const num = (v) => (v === '' || v === null || v === undefined ? undefined : Number(String(v).replace(',', '.')));
