import { html, useState } from '../lib.js';
import { api, all } from '../api.js';
import { t } from '../i18n.js';
import { formatDate } from '../format.js';
import { Failure } from '../components/resource.js';
import { DraftForm, input, textarea } from '../components/forms.js';
import { place } from './cases.js';

/** Finds a person by the start of their name; the DPO sees restricted records too. */
export function SubjectPicker({ picked, onPick }) {
  const [found, setFound] = useState(null);
  const [error, setError] = useState(null);
  return html`<div class="card">
    ${picked ? html`<p>${t('subject')}: <strong>${picked.name}</strong> (${formatDate(picked.birthDate)}, ${place(picked)}) <button type="button" class="link" onClick=${() => onPick(null)}>${t('remove')}</button></p>` : null}
    <${DraftForm} id="subject-find" submitLabel=${t('search')} doneText=${t('searched')}
      defaults=${() => ({ q: '' })}
      submit=${async (v) => {
        setError(null);
        try {
          setFound(await all(`/subjects?q=${encodeURIComponent(v.q.trim())}&limit=50`));
        } catch (e) {
          setError(e);
        }
      }}
      render=${(f) => input(f, 'q', t('subjectName'), { autocomplete: 'off' })} />
    ${error ? html`<${Failure} error=${error} />` : null}
    ${found ? (found.length ? html`<ul class="cards" id="subjects-found">${found.map((s) => html`<li key=${s.id} class="card">
      <button type="button" class="link" onClick=${() => { onPick(s); setFound(null); }}>${s.name}</button> · ${formatDate(s.birthDate)} · ${place(s)} ${s.restricted ? html`<span class="badge overdue">${t('restricted')}</span>` : null}
    </li>`)}</ul>` : html`<p>${t('empty')}</p>`) : null}
  </div>`;
}

function saveJson(name, data) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A data subject's rights: their data as a file, restriction of processing and its lifting. */
export function Privacy() {
  const [subject, setSubject] = useState(null);
  const [error, setError] = useState(null);
  const refresh = async (id) => setSubject(await api('GET', `/subjects/${id}`));
  return html`<section><h1>${t('privacyTitle')}</h1><p>${t('privacyHelp')}</p>
    <${SubjectPicker} picked=${subject} onPick=${(s) => { setSubject(s); setError(null); }} />
    ${subject ? html`<div class="grid2">
      <${DraftForm} key=${`export-${subject.id}`} id=${`export-${subject.id}`} title=${t('exportData')} submitLabel=${t('exportData')} doneText=${t('exported')}
        defaults=${() => ({ purpose: '' })}
        submit=${async (v) => saveJson(`subject-${subject.id}.json`, await api('GET', `/subjects/${subject.id}/export`, { headers: { 'X-Purpose': v.purpose } }))}
        render=${(f) => input(f, 'purpose', t('purpose'), { help: t('purposeHelp') })} />
      ${subject.restricted
        ? html`<${DraftForm} key=${`lift-${subject.id}`} id=${`lift-${subject.id}`} title=${t('liftRestriction')} submitLabel=${t('liftRestriction')} doneText=${t('restrictionLifted')}
            submit=${async () => { await api('DELETE', `/subjects/${subject.id}/restriction`); await refresh(subject.id); }}
            render=${() => html`<p><span class="badge overdue">${t('restricted')}</span> ${t('restrictedHelp')}</p>`} />`
        : html`<${DraftForm} key=${`restrict-${subject.id}`} id=${`restrict-${subject.id}`} title=${t('restrict')} submitLabel=${t('restrict')} doneText=${t('restrictionSet')}
            defaults=${() => ({ reason: '' })}
            submit=${async (v) => { await api('POST', `/subjects/${subject.id}/restriction`, { body: { reason: v.reason } }); await refresh(subject.id); }}
            render=${(f) => textarea(f, 'reason', t('restrictionReason'))} />`}
    </div>` : null}
    ${error ? html`<${Failure} error=${error} />` : null}
  </section>`;
}
