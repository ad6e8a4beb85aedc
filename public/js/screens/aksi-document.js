// One 8 Aksi evidence document: what it is and whose, its state and deadline, its file versions
// (each downloadable), its history, and what the user may do next: a new version (multipart
// `file`) and the allowed events, each sent with If-Match (the version last read).
import { html, useState } from '../lib.js';
import { api, all, ApiError } from '../api.js';
import { t, errorText } from '../i18n.js';
import { formatDate, formatDateTime, formatNumber } from '../format.js';
import { Resource, useResource } from '../components/resource.js';
import { DraftForm, textarea } from '../components/forms.js';
import { downloadFile } from '../components/download.js';
import { actionName, DocState } from './aksi.js';

/** States in which the version given to the province cannot change (src/modules/aksi/machine). */
const LOCKED = ['uploaded', 'revision_requested', 'accepted'];
const UPLOADERS = ['opd_liaison', 'case_manager', 'admin'];

async function loadDocument(id) {
  const d = await api('GET', `/aksi/documents/${id}`);
  const [opds, cycle] = await Promise.all([
    all(`/opds?regencyCode=${d.regencyCode}`).catch(() => []),
    api('GET', `/aksi/${d.year}/cycle?regionCode=${d.regencyCode}`).catch(() => null),
  ]);
  return { d, opds, cycle };
}

export function fileSize(bytes) {
  if (bytes < 1024) return `${formatNumber(bytes, 0)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, 1)} KB`;
  return `${formatNumber(bytes / 1024 / 1024, 1)} MB`;
}

/** A liaison acts on their own OPD's documents only; everyone else as their role allows. */
const actsOn = (user, d) => user.role !== 'opd_liaison' || user.opdId === d.ownerOpdId;

/** Who did it: the user themself by name, else their role (the API carries user ids, not names). */
function byWhom(user, actorId, role) {
  if (actorId && actorId === user.id) return `${user.displayName} (${t('you')})`;
  return role ? t(`role_${role}`) : '–';
}

function Versions({ d, user }) {
  const [error, setError] = useState(null);
  const versions = [...(d.versions ?? [])].sort((a, b) => b.n - a.n);
  if (!versions.length) return html`<p>${t('noFileYet')}</p>`;
  const roleOf = (n) => (d.history ?? []).find((h) => h.type === 'ADD_VERSION' && h.payload?.n === n)?.actor?.role;
  const get = (v) => downloadFile(`/aksi/documents/${d.id}/versions/${v.n}`, v.filename).then(() => setError(null), setError);
  return html`<table class="queue" id="aksi-versions"><thead><tr><th scope="col">${t('versionN')}</th><th scope="col">${t('filename')}</th><th scope="col">${t('fileSize')}</th>
      <th scope="col">${t('sha256')}</th><th scope="col">${t('uploadedAt')}</th><th scope="col">${t('uploadedBy')}</th><th scope="col"><span class="visually-hidden">${t('download')}</span></th></tr></thead>
    <tbody>${versions.map((v) => html`<tr key=${v.n} data-version=${v.n}>
      <td data-label=${t('versionN')}>${v.n}${d.markedVersion === v.n ? html` <span class="badge ready">${t('markedVersion')}</span>` : null}</td>
      <td data-label=${t('filename')}>${v.filename}</td>
      <td data-label=${t('fileSize')}>${fileSize(v.size)}</td>
      <td data-label=${t('sha256')}><code title=${v.sha256}>${v.sha256.slice(0, 12)}…</code></td>
      <td data-label=${t('uploadedAt')}>${formatDateTime(v.uploadedAt, d.regencyCode)}</td>
      <td data-label=${t('uploadedBy')}>${byWhom(user, v.uploadedBy, roleOf(v.n))}</td>
      <td data-label=${t('download')}><button type="button" class="secondary" aria-label=${`${t('download')} ${t('versionN').toLowerCase()} ${v.n}: ${v.filename}`} onClick=${() => get(v)}>${t('download')}</button></td>
    </tr>`)}</tbody></table>
    ${error ? html`<p class="error" role="alert">${errorText(error)}</p>` : null}`;
}

/** A new version: multipart `file`, with If-Match so a page read before someone else's change is refused. */
function UploadForm({ d, reload }) {
  const inputId = `aksi-file-${d.id}`;
  if (LOCKED.includes(d.state)) return html`<div class="card locked" id="aksi-upload-locked"><h3>${t('uploadVersion')}</h3><p>${t('aksiLocked')}</p></div>`;
  return html`<${DraftForm} id=${`aksi-upload-${d.id}`} title=${t('uploadVersion')} submitLabel=${t('upload')} doneText=${t('versionUploaded')} onDone=${reload}
    submit=${async () => {
      const el = document.getElementById(inputId);
      const file = el?.files?.[0];
      if (!file) throw new ApiError(400, { error: 'VALIDATION_FAILED', details: { fields: [{ field: 'file', reason: t('fileRequired') }] } });
      const form = new FormData();
      form.append('file', file);
      try {
        const r = await api('POST', `/aksi/documents/${d.id}/versions`, { form, headers: { 'If-Match': String(d.version) } });
        el.value = '';
        return r;
      } catch (e) {
        // The two refusals a user can do something about, in words of their own.
        if (e.status === 409 && e.code === 'CONFLICT') e.code = 'AKSI_LOCKED';
        if (e.status === 413) e.code = 'AKSI_TOO_LARGE';
        throw e;
      }
    }}
    render=${(f) => {
      f.labels.file = t('evidenceFile');
      const err = f.fieldError('file');
      return html`${d.state === 'ready' ? html`<p class="help">${t('readyBackToDraft')}</p>` : null}
        <div class=${err ? 'field invalid' : 'field'}><label for=${inputId}>${t('evidenceFile')}</label>
        <input id=${inputId} type="file" aria-invalid=${err ? 'true' : 'false'} aria-describedby=${err ? `${inputId}-err` : undefined} />
        ${err ? html`<p class="field-error" id=${`${inputId}-err`}>${err}</p>` : null}</div>`;
    }} />`;
}

/** The allowed events: a revision request needs the province's reason; the others take an optional note. */
function DocumentEvents({ d, reload }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [asking, setAsking] = useState(false);
  const send = (type, payload) => api('POST', `/aksi/documents/${d.id}/events`, { body: { type, ...payload }, headers: { 'If-Match': String(d.version) } });
  const quick = async (type) => {
    setBusy(type);
    setError(null);
    try {
      await send(type, note.trim() ? { note: note.trim() } : {});
      setNote('');
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const plain = d.allowedEvents.filter((e) => e !== 'REQUEST_REVISION');
  const noteId = `aksi-note-${d.id}`;
  return html`<div class="events" id="aksi-events">
    ${plain.length ? html`<div class="field"><label for=${noteId}>${t('optionalNote')}</label>
      <textarea id=${noteId} rows="2" onInput=${(e) => setNote(e.currentTarget.value)}>${note}</textarea></div>` : null}
    <div class="buttons">${d.allowedEvents.map((type) => html`<button type="button" class=${type === 'REQUEST_REVISION' ? 'secondary' : ''} disabled=${busy === type}
      aria-expanded=${type === 'REQUEST_REVISION' ? String(asking) : undefined}
      onClick=${() => (type === 'REQUEST_REVISION' ? setAsking(!asking) : quick(type))}>${t(`ev_${type}`)}</button>`)}</div>
    ${error ? html`<div class="error" role="alert"><p>${errorText(error)}</p>${error.code === 'VERSION_CONFLICT' ? html`<button type="button" onClick=${reload}>${t('retry')}</button>` : null}</div>` : null}
    ${asking ? html`<${DraftForm} id=${`aksi-revision-${d.id}`} title=${t('ev_REQUEST_REVISION')} submitLabel=${t('ev_REQUEST_REVISION')}
      defaults=${() => ({ reason: '' })} submit=${(v) => send('REQUEST_REVISION', { reason: v.reason })} onDone=${() => { setAsking(false); reload(); }}
      render=${(f) => textarea(f, 'reason', t('revisionReason'))} />` : null}
  </div>`;
}

function History({ d, user }) {
  const items = [...(d.history ?? [])].sort((a, b) => b.seq - a.seq);
  return html`<ol class="timeline" id="aksi-history">${items.map((h) => html`<li key=${h.seq}>
    <time datetime=${h.at}>${formatDateTime(h.at, d.regencyCode)}</time>
    <strong>${t(`ev_${h.type}`)}</strong>${h.type === 'ADD_VERSION' && h.payload?.n ? ` ${h.payload.n}` : ''} → <${DocState} value=${h.toState} />
    <span class="muted"> · ${byWhom(user, h.actor?.id, h.actor?.role)}</span>
    ${h.payload?.reason ? html`<p>${t('reason')}: ${h.payload.reason}</p>` : null}
    ${h.payload?.note ? html`<p>${t('note')}: ${h.payload.note}</p>` : null}
  </li>`)}</ol>`;
}

export function AksiDocumentPage({ id, user }) {
  const res = useResource(() => loadDocument(id), [id]);
  return html`<${Resource} res=${res}>${({ d, opds, cycle }, reload) => {
    const owner = opds.find((o) => o.id === d.ownerOpdId);
    const mayAct = actsOn(user, d);
    const events = mayAct ? d.allowedEvents : [];
    return html`<section id="aksi-document">
      <p><a href="#/aksi">← ${t('back')}</a></p>
      <h1>${d.title} <${DocState} value=${d.state} /></h1>
      <dl class="facts">
        <div><dt>${t('docAction')}</dt><dd>${actionName(d.action)}</dd></div>
        <div><dt>${t('docType')}</dt><dd>${t(`doctype_${d.type}`)}</dd></div>
        <div><dt>${t('ownerOpd')}</dt><dd>${owner?.name ?? d.ownerOpdCode ?? '–'}</dd></div>
        <div><dt>${t('year')}</dt><dd>${d.year}</dd></div>
        <div><dt>${d.deadline ? t('due_prepare') : t('uploadDeadline')}</dt><dd>${d.deadline ? formatDateTime(d.deadline.dueAt, d.regencyCode) : cycle?.uploadDeadline ? formatDate(cycle.uploadDeadline) : '–'}</dd></div>
        ${d.deadline?.escalationLevel ? html`<div><dt>${t('escalationLevel')}</dt><dd>${d.deadline.escalationLevel}</dd></div>` : null}
        ${d.markedVersion ? html`<div><dt>${t('markedVersion')}</dt><dd>${d.markedVersion}</dd></div>` : null}
      </dl>
      ${d.revisionReason && d.state !== 'accepted' ? html`<p class="card warn" id="aksi-revision-reason">${t('revisionReason')}: ${d.revisionReason}</p>` : null}
      <h2>${t('versionsTitle')}</h2>
      <${Versions} d=${d} user=${user} />
      ${mayAct && UPLOADERS.includes(user.role) ? html`<${UploadForm} d=${d} reload=${reload} />` : null}
      <h2>${t('actions')}</h2>
      ${events.length ? html`<${DocumentEvents} d=${{ ...d, allowedEvents: events }} reload=${reload} />` : html`<p>${t('noActions')}</p>`}
      <h2>${t('history')}</h2>
      <${History} d=${d} user=${user} />
    </section>`;
  }}<//>`;
}
