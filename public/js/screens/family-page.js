// A family page: its members (with a pregnancy's projected week), its KRS assessments and its
// TPK visits; a TPK member records a visit to the family from here.
import { html, useState } from '../lib.js';
import { Resource, useResource } from '../components/resource.js';
import { api, all } from '../api.js';
import { t } from '../i18n.js';
import { formatDate, todayIn } from '../format.js';
import { tt } from './tpk-i18n.js';
import { VisitForm } from './tpk-day.js';

export function FamilyPage({ id, user }) {
  const [open, setOpen] = useState(false);
  const res = useResource(async () => {
    const [family, visits] = await Promise.all([api('GET', `/families/${id}`), all(`/visits?familyId=${id}&limit=200`)]);
    return { family, visits };
  }, [id]);
  return html`<${Resource} res=${res}>${({ family: f, visits }, reload) => {
      return html`<section id="family-page"><p><a href="#/tpk">${t('back')}</a></p>
      <h1>${tt('familyTitle')} ${f.headName}</h1>
      <dl class="facts">
        <div><dt>KK</dt><dd>${f.familyCardNumber}</dd></div>
        <div><dt>${t('village')}</dt><dd>${f.villageCode}${f.rt ? ` · RT ${f.rt}/RW ${f.rw ?? '–'}` : ''}</dd></div>
        <div><dt>${tt('priority')}</dt><dd>${f.welfarePriority || '–'}</dd></div>
        <div><dt>${tt('krs')}</dt><dd>${f.latestAssessment ? (f.latestAssessment.isKrs ? tt('yes') : tt('no')) : '–'}</dd></div>
      </dl>
      <h2>${tt('members')}</h2>
      <table class="queue"><thead><tr><th scope="col">${tt('person')}</th><th scope="col">${tt('relation')}</th><th scope="col">${tt('pregnancy')}</th></tr></thead>
        <tbody>${f.members.map((m) => html`<tr key=${m.id}><td>${m.name}</td><td>${m.relation}</td><td>${m.gestWeeksToday ? `${m.gestWeeksToday} ${tt('weeks')}` : '–'}</td></tr>`)}</tbody></table>
      <h2>${tt('assessments')}</h2>
      ${f.assessments.length
        ? html`<table class="queue"><thead><tr><th scope="col">${tt('period')}</th><th scope="col">${tt('krs')}</th><th scope="col">${tt('transition')}</th><th scope="col">${tt('policy')}</th></tr></thead>
            <tbody>${f.assessments.map((a) => html`<tr key=${a.id}><td>${a.year}-${a.round}</td><td>${a.isKrs ? tt('yes') : tt('no')}</td><td>${tt(`t_${a.transition}`)}</td><td>${a.importedFlag !== null ? 'PK/Verval' : `v${a.policyVersion}`}</td></tr>`)}</tbody></table>`
        : html`<p>${tt('none')}</p>`}
      <h2>${tt('visits')}</h2>
      ${visits.length
        ? html`<ul class="cards">${visits.map((v) => html`<li key=${v.id} class="card"><p><strong>${formatDate(v.visitedOn)}</strong> · ${tt(`g_${v.targetGroup}`)} · ${tt(`k_${v.kind}`)}
            ${v.late ? html`<span class="badge">${tt('late')}</span>` : null}</p><p>${v.actions.map((a) => tt(`a_${a}`)).join(', ')}</p>${v.notes ? html`<p>${v.notes}</p>` : null}</li>`)}</ul>`
        : html`<p>${tt('none')}</p>`}
      ${user.role === 'tpk'
        ? open
          ? html`<${VisitForm} family=${f.id} today=${todayIn(f.regencyCode)} user=${user} onDone=${() => { setOpen(false); reload(); }} />`
          : html`<button type="button" onClick=${() => setOpen(true)}>${tt('record')}</button>`
        : null}
    </section>`;
    }}<//>`;
}
