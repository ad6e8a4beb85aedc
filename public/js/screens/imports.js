import { html, useEffect, useRef, useState } from '../lib.js';
import { api } from '../api.js';
import { t, EPPGBM_FIELDS } from '../i18n.js';
import { formatDateTime, formatNumber } from '../format.js';
import { DraftForm, input } from '../components/forms.js';
import { Failure } from '../components/resource.js';

const SHOWN_REJECTIONS = 50;
const OPENED = 'tuntas.import.opened';

async function download(id) {
  const res = await api('GET', `/imports/${id}/rejections.csv`, { raw: true });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `rejections-${id}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** One import: its counts, what they mean in words, and (opened) the first rejected rows with their reasons. */
function ImportCard({ summary, open, onToggle }) {
  const [detail, setDetail] = useState(null);
  const [error, setError] = useState(null);
  const job = { ...summary, rejections: detail?.rejections };
  useEffect(() => {
    if (!open || !summary.rowsRejected) return;
    api('GET', `/imports/${summary.id}`).then(setDetail, setError);
  }, [open, summary.status, summary.rowsRejected]);
  const finished = job.status === 'done' || job.status === 'failed';
  const outcome = job.status === 'failed' ? 'importFailed' : !finished ? 'importRunning' : job.rowsRejected && !job.rowsTaken ? 'importAllRejected' : job.rowsRejected ? 'importSomeRejected' : 'importAllTaken';
  return html`<article class=${`card import import-${job.status}`} data-import=${job.id}>
    <h3>${job.fileName} <span class=${`badge imp-${job.status}`}>${t(`imp_${job.status}`)}</span></h3>
    <p class="muted">${formatDateTime(job.createdAt, job.regencyCode)}</p>
    <p class=${job.rowsRejected || job.status === 'failed' ? 'warn' : 'ok'} aria-live="polite">${t(outcome)}</p>
    ${job.error ? html`<p class="error">${job.error}</p>` : null}
    <dl class="facts">${['rowsRead', 'rowsTaken', 'rowsDuplicate', 'rowsRejected', 'casesOpened', 'casesRemeasured'].map((k) => html`<div><dt>${t(k)}</dt><dd>${formatNumber(job[k], 0)}</dd></div>`)}</dl>
    ${job.rowsRejected ? html`<div class="buttons">
      <button type="button" class="secondary" aria-expanded=${String(open)} onClick=${onToggle}>${open ? t('hideReasons') : t('showReasons')}</button>
      <button type="button" class="secondary" onClick=${() => download(job.id).catch(setError)}>${t('downloadRejections')}</button>
    </div>` : null}
    ${open && job.rejections?.length ? html`<table class="queue rejections">
      <caption>${t('rejectedSummary')}: ${formatNumber(job.rowsRejected, 0)} ${t('ofRows')}; ${formatNumber(Math.min(SHOWN_REJECTIONS, job.rejections.length), 0)} ${t('reasonsShown')}</caption>
      <thead><tr><th scope="col">${t('row')}</th><th scope="col">${t('field')}</th><th scope="col">${t('reason')}</th></tr></thead>
      <tbody>${job.rejections.slice(0, SHOWN_REJECTIONS).map((r) => html`<tr><td data-label=${t('row')}>${r.row}</td><td data-label=${t('field')}>${EPPGBM_FIELDS.includes(r.field) ? t(`col_${r.field}`) : r.field}</td><td data-label=${t('reason')}>${r.reason}</td></tr>`)}</tbody>
    </table>` : null}
    ${error ? html`<${Failure} error=${error} />` : null}
  </article>`;
}

/** The regency's imports, newest first (GET /imports); the one just sent opens with its reasons. */
export function Imports({ user }) {
  const [jobs, setJobs] = useState(null);
  const [error, setError] = useState(null);
  const [opened, setOpened] = useState(() => sessionStorage.getItem(OPENED));
  const timer = useRef(null);
  async function refresh() {
    clearTimeout(timer.current);
    try {
      const page = await api('GET', `/imports?limit=20${user.regencyCode ? `&regencyCode=${user.regencyCode}` : ''}`);
      setJobs(page.items);
      setError(null);
      if (page.items.some((j) => j.status === 'queued' || j.status === 'running')) timer.current = setTimeout(refresh, 1000);
    } catch (e) {
      setError(e);
    }
  }
  useEffect(() => {
    refresh();
    return () => clearTimeout(timer.current);
  }, []);
  const open = (id) => {
    const next = opened === id ? null : id;
    if (next) sessionStorage.setItem(OPENED, next);
    else sessionStorage.removeItem(OPENED);
    setOpened(next);
  };
  return html`<section><h1>${t('importsTitle')}</h1>
    <${DraftForm} id="import" title=${t('newImport')} submitLabel=${t('upload')} defaults=${() => ({ regencyCode: user.regencyCode ?? '' })} doneText=${t('importStarted')}
      submit=${async (v) => {
        const file = document.getElementById('import-file').files[0];
        const form = new FormData();
        form.append('regencyCode', v.regencyCode);
        if (file) form.append('file', file);
        const r = await api('POST', '/imports/eppgbm', { form });
        sessionStorage.setItem(OPENED, r.id);
        setOpened(r.id);
        await refresh();
        return r;
      }}
      render=${(f) => html`${input(f, 'regencyCode', t('regency'), { inputmode: 'numeric' })}
        <div class=${f.fieldError('file') ? 'field invalid' : 'field'}><label for="import-file">${t('file')}</label>
        <input id="import-file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
        ${f.fieldError('file') ? html`<p class="field-error">${f.fieldError('file')}</p>` : null}</div>`} />
    ${error ? html`<${Failure} error=${error} retry=${refresh} />` : null}
    <h2>${t('importList')}</h2>
    ${jobs === null ? (error ? null : html`<p class="loading" role="status">${t('loading')}</p>`) : jobs.length
      ? html`<div id="imports">${jobs.map((j) => html`<${ImportCard} key=${j.id} summary=${j} open=${opened === j.id} onToggle=${() => open(j.id)} />`)}</div>`
      : html`<p>${t('empty')}</p>`}
  </section>`;
}
