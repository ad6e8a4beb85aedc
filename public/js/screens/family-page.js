// A family page: its members (with a pregnancy's projected week), its KRS assessments and its
// TPK visits; a TPK member records a visit to the family from here (queued like any visit when
// there is no signal).
import { html, useState } from '../lib.js';
import { Resource, useResource } from '../components/resource.js';
import { api, all } from '../api.js';
import { t } from '../i18n.js';
import { formatDate, todayIn } from '../format.js';
import { PendingList } from '../components/queue.js';
import { describeVisit, useVisitQueue, VisitForm, visitFormId } from './tpk-day.js';

const place = (f) => [f.villageName ?? f.villageCode, f.districtName].filter(Boolean).join(', ');

export function FamilyPage({ id, user }) {
  const [open, setOpen] = useState(false);
  const res = useResource(async () => {
    const [family, visits] = await Promise.all([api('GET', `/families/${id}`), all(`/visits?familyId=${id}&limit=200`)]);
    return { family, visits };
  }, [id]);
  const formId = visitFormId({ family: id });
  const queue = useVisitQueue(res.reload, (w) => w.formId === formId);
  const refused = queue.find((w) => w.status === 'refused');
  return html`<${Resource} res=${res}>${({ family: f, visits }, reload) => html`<section id="family-page">
      ${user.role === 'tpk' ? html`<p><a href="#/tpk">← ${t('back')}</a></p>` : null}
      <h1>${t('family')} ${f.headName}</h1>
      <dl class="facts">
        <div><dt>${t('familyCard')}</dt><dd>${f.familyCardNumber}</dd></div>
        <div><dt>${t('village')}</dt><dd>${place(f)}${f.rt ? ` · RT ${f.rt}/RW ${f.rw ?? '–'}` : ''}</dd></div>
        <div><dt>${t('welfarePriority')}</dt><dd>${f.welfarePriority || '–'}</dd></div>
        <div><dt>${t('krs')}</dt><dd>${f.latestAssessment ? (f.latestAssessment.isKrs ? t('yes') : t('no')) : '–'}</dd></div>
      </dl>
      <h2>${t('members')}</h2>
      <table class="queue" id="family-members"><thead><tr><th scope="col">${t('person')}</th><th scope="col">${t('relation')}</th><th scope="col">${t('pregnancy')}</th></tr></thead>
        <tbody>${f.members.map((m) => html`<tr key=${m.id}><td data-label=${t('person')}>${m.name}</td><td data-label=${t('relation')}>${t(`rel_${m.relation}`)}</td>
          <td data-label=${t('pregnancy')}>${m.gestWeeksToday ? `${m.gestWeeksToday} ${t('weeks')}` : '–'}</td></tr>`)}</tbody></table>
      <h2>${t('krsAssessments')}</h2>
      ${f.assessments.length
        ? html`<table class="queue" id="family-assessments"><thead><tr><th scope="col">${t('period')}</th><th scope="col">${t('krs')}</th><th scope="col">${t('krsTransition')}</th><th scope="col">${t('policyVersion')}</th></tr></thead>
            <tbody>${f.assessments.map((a) => html`<tr key=${a.id}><td data-label=${t('period')}>${a.year}-${a.round}</td><td data-label=${t('krs')}>${a.isKrs ? t('yes') : t('no')}</td>
              <td data-label=${t('krsTransition')}>${t(`krs_${a.transition}`)}</td><td data-label=${t('policyVersion')}>${a.importedFlag !== null ? 'PK/Verval' : `v${a.policyVersion}`}</td></tr>`)}</tbody></table>`
        : html`<p>${t('empty')}</p>`}
      <h2>${t('visits')} (<span id="family-visit-count">${visits.length}</span>)</h2>
      <${PendingList} items=${queue} describe=${describeVisit} />
      ${visits.length
        ? html`<ul class="cards" id="family-visits">${visits.map((v) => html`<li key=${v.id} class="card"><p><strong>${formatDate(v.visitedOn)}</strong> · ${t(`tgroup_${v.targetGroup}`)} · ${t(`vkind_${v.kind}`)}
            ${v.late ? html`<span class="badge">${t('lateRecorded')}</span>` : null}</p><p>${v.actions.map((a) => t(`vact_${a}`)).join(', ')}</p>${v.notes ? html`<p>${v.notes}</p>` : null}</li>`)}</ul>`
        : html`<p>${t('empty')}</p>`}
      ${user.role === 'tpk'
        ? open || refused
          ? html`<${VisitForm} family=${f.id} today=${todayIn(f.regencyCode)} refused=${refused} onRestored=${() => setOpen(true)}
              onDone=${(r) => { setOpen(false); if (!r?.queued) reload(); }} />`
          : html`<button type="button" onClick=${() => setOpen(true)}>${t('recordVisit')}</button>`
        : null}
    </section>`}<//>`;
}
