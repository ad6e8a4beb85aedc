import { html, useEffect, useRef, useState } from '../lib.js';
import { api } from '../api.js';
import { t, EPPGBM_FIELDS } from '../i18n.js';
import { formatDateTime, formatNumber } from '../format.js';
import { DraftForm, input } from '../components/forms.js';
import { Failure } from '../components/resource.js';

const KEPT = 'tuntas.imports';
const SHOWN_REJECTIONS = 50;

/** The imports this tab started, newest first (until the list route of the service is used). */
const keptIds = () => {
  try {
    return JSON.parse(sessionStorage.getItem(KEPT) ?? '[]');
  } catch {
    return [];
  }
};

async function download(id) {
  const res = await api('GET', `/imports/${id}/rejections.csv`, { raw: true });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `rejections-${id}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** One import: its counts, in words, and the first rejected rows with their reasons. */
function ImportCard({ job }) {
  const [error, setError] = useState(null);
  const finished = job.status === 'done' || job.status === 'failed';
  const outcome = job.status === 'failed' ? 'importFailed' : !finished ? 'importRunning' : job.rowsRejected && !job.rowsTaken ? 'importAllRejected' : job.rowsRejected ? 'importSomeRejected' : 'importAllTaken';
  return html`<article class=${`card import import-${job.status}`} aria-live="polite">
    <h2>${job.fileName} <span class=${`badge imp-${job.status}`}>${t(`imp_${job.status}`)}</span></h2>
    <p class="muted">${formatDateTime(job.createdAt, job.regencyCode)}</p>
    <p class=${job.rowsRejected || job.status === 'failed' ? 'warn' : 'ok'}>${t(outcome)}</p>
    ${job.error ? html`<p class="error">${job.error}</p>` : null}
    <dl class="facts">${['rowsRead', 'rowsTaken', 'rowsDuplicate', 'rowsRejected', 'casesOpened', 'casesRemeasured'].map((k) => html`<div><dt>${t(k)}</dt><dd>${formatNumber(job[k], 0)}</dd></div>`)}</dl>
    ${job.rejections?.length ? html`<table class="queue rejections">
      <caption>${t('rejectedSummary')}: ${formatNumber(job.rowsRejected, 0)} ${t('ofRows')}; ${formatNumber(Math.min(SHOWN_REJECTIONS, job.rejections.length), 0)} ${t('reasonsShown')}</caption>
      <thead><tr><th scope="col">${t('row')}</th><th scope="col">${t('field')}</th><th scope="col">${t('reason')}</th></tr></thead>
      <tbody>${job.rejections.slice(0, SHOWN_REJECTIONS).map((r) => html`<tr><td data-label=${t('row')}>${r.row}</td><td data-label=${t('field')}>${EPPGBM_FIELDS.includes(r.field) ? t(`col_${r.field}`) : r.field}</td><td data-label=${t('reason')}>${r.reason}</td></tr>`)}</tbody>
    </table>` : null}
    ${job.rowsRejected ? html`<button type="button" class="secondary" onClick=${() => download(job.id).catch(setError)}>${t('downloadRejections')}</button>` : null}
    ${error ? html`<${Failure} error=${error} />` : null}
  </article>`;
}

export function Imports({ user }) {
  const [jobs, setJobs] = useState([]);
  const [error, setError] = useState(null);
  const timer = useRef(null);
  async function refresh() {
    clearTimeout(timer.current);
    try {
      const list = await Promise.all(keptIds().map((id) => api('GET', `/imports/${id}`).catch(() => null)));
      const found = list.filter(Boolean);
      setJobs(found);
      setError(null);
      if (found.some((j) => j.status === 'queued' || j.status === 'running')) timer.current = setTimeout(refresh, 1000);
    } catch (e) {
      setError(e);
    }
  }
  useEffect(() => {
    refresh();
    return () => clearTimeout(timer.current);
  }, []);
  return html`<section><h1>${t('importsTitle')}</h1>
    <${DraftForm} id="import" submitLabel=${t('upload')} defaults=${() => ({ regencyCode: user.regencyCode ?? '' })} doneText=${t('importStarted')}
      submit=${async (v) => {
        const file = document.getElementById('import-file').files[0];
        const form = new FormData();
        form.append('regencyCode', v.regencyCode);
        if (file) form.append('file', file);
        const r = await api('POST', '/imports/eppgbm', { form });
        sessionStorage.setItem(KEPT, JSON.stringify([r.id, ...keptIds().filter((x) => x !== r.id)].slice(0, 20)));
        await refresh();
        return r;
      }}
      render=${(f) => html`${input(f, 'regencyCode', t('regency'), { inputmode: 'numeric' })}
        <div class=${f.fieldError('file') ? 'field invalid' : 'field'}><label for="import-file">${t('file')}</label><input id="import-file" type="file" accept=".csv,text/csv" />
        ${f.fieldError('file') ? html`<p class="field-error">${f.fieldError('file')}</p>` : null}</div>`} />
    ${error ? html`<${Failure} error=${error} retry=${refresh} />` : null}
    ${jobs.length ? html`<h2>${t('importList')}</h2>${jobs.map((j) => html`<${ImportCard} key=${j.id} job=${j} />`)}` : null}
  </section>`;
}
