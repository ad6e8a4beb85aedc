// Forms that keep what was typed: every change is saved as a draft in sessionStorage, so a
// failed send, a reload or a dropped connection loses nothing. A draft goes when the send succeeds.
import { html, Component } from './lib.js';
import { t, errorText, fieldErrors } from './i18n.js';

const DRAFT = (id) => `tuntas.draft.${id}`;

export class DraftForm extends Component {
  constructor(props) {
    super(props);
    let values;
    try {
      values = JSON.parse(sessionStorage.getItem(DRAFT(props.id)) ?? 'null');
    } catch {
      values = null;
    }
    this.state = { values: values ?? props.initial(), busy: false, error: null, done: null };
  }

  set(name, value) {
    const values = { ...this.state.values, [name]: value };
    sessionStorage.setItem(DRAFT(this.props.id), JSON.stringify(values));
    this.setState({ values, done: null });
  }

  async submit(e) {
    e.preventDefault();
    if (this.state.busy) return;
    this.setState({ busy: true, error: null, done: null });
    sessionStorage.setItem(DRAFT(this.props.id), JSON.stringify(this.state.values));
    try {
      const result = await this.props.submit(this.state.values);
      sessionStorage.removeItem(DRAFT(this.props.id));
      this.setState({ busy: false, values: this.props.initial(), done: this.props.doneText ?? t('saved') });
      this.props.onDone?.(result);
    } catch (err) {
      this.setState({ busy: false, error: err });
    }
  }

  fieldError(name) {
    const errs = fieldErrors(this.state.error);
    const hit = Object.keys(errs).find((f) => f === name || f.startsWith(`${name}.`) || f.startsWith(`${name}[`));
    return hit ? errs[hit] : null;
  }

  render({ id, title, submitLabel, render, hint }, { busy, error, done }) {
    const fields = fieldErrors(error);
    return html`<form class="card form" id=${`form-${id}`} onSubmit=${(e) => this.submit(e)} novalidate aria-busy=${busy ? 'true' : 'false'}>
      ${title ? html`<h3>${title}</h3>` : null}
      ${render(this)}
      ${error
        ? html`<div class="error" role="alert">
            <p>${errorText(error)}</p>
            ${Object.keys(fields).length ? html`<p>${t('fieldsInvalid')}</p><ul>${Object.entries(fields).map(([f, r]) => html`<li><code>${f}</code>: ${r}</li>`)}</ul>` : null}
            ${error.code === 'NETWORK' && hint ? html`<p>${hint}</p>` : null}
          </div>`
        : null}
      ${done ? html`<p class="ok" role="status">${done}</p>` : null}
      <button type="submit" disabled=${busy}>${busy ? t('loading') : (submitLabel ?? t('send'))}</button>
    </form>`;
  }
}

const fid = (form, name) => `${form.props.id}-${name}`.replace(/[^a-zA-Z0-9_-]/g, '-');

function wrap(form, name, label, control) {
  const err = form.fieldError(name);
  return html`<div class=${err ? 'field invalid' : 'field'}>
    <label for=${fid(form, name)}>${label}</label>
    ${control}
    ${err ? html`<p class="field-error" id=${`${fid(form, name)}-err`}>${err}</p>` : null}
  </div>`;
}

export function input(form, name, label, attrs = {}) {
  const id = fid(form, name);
  const err = form.fieldError(name);
  return wrap(form, name, label, html`<input id=${id} name=${name} value=${form.state.values[name] ?? ''} onInput=${(e) => form.set(name, e.currentTarget.value)} aria-invalid=${err ? 'true' : 'false'} aria-describedby=${err ? `${id}-err` : undefined} ...${attrs} />`);
}

export function textarea(form, name, label, attrs = {}) {
  const id = fid(form, name);
  return wrap(form, name, label, html`<textarea id=${id} name=${name} rows="3" onInput=${(e) => form.set(name, e.currentTarget.value)} ...${attrs}>${form.state.values[name] ?? ''}</textarea>`);
}

export function select(form, name, label, options, attrs = {}) {
  const id = fid(form, name);
  const value = form.state.values[name] ?? '';
  return wrap(form, name, label, html`<select id=${id} name=${name} onChange=${(e) => form.set(name, e.currentTarget.value)} ...${attrs}>
    ${options.map(([v, l]) => html`<option value=${v} selected=${v === value}>${l}</option>`)}
  </select>`);
}

/** A local date-time input value (in the browser's zone) for now, and back to ISO. */
export const nowLocal = () => {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
};
export const localToIso = (v) => new Date(v).toISOString();
export const num = (v) => (v === '' || v === null || v === undefined ? undefined : Number(String(v).replace(',', '.')));
