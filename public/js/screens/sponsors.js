import { html } from '../lib.js';
import { api, all } from '../api.js';
import { t, SPONSOR_TYPES } from '../i18n.js';
import { Resource, useResource } from '../components/resource.js';
import { DraftForm, input, select } from '../components/forms.js';
import { RegencyPicker, useRegency } from '../components/regency.js';

export function Sponsors({ user }) {
  const [rc, setRc] = useRegency(user);
  const res = useResource(() => all('/sponsors'), []);
  return html`<section><h1>${t('sponsorsTitle')}</h1><p>${t('sponsorsHelp')}</p>
    <${Resource} res=${res}>${(sponsors, reload) => html`<div class="grid2">
      <section><h2>${t('sponsors')}</h2>${sponsors.length ? html`<ul class="cards" id="sponsors">${sponsors.map((s) => html`<li key=${s.id} class="card">
        <p><strong>${s.name}</strong> <span class="badge">${t(`stype_${s.type}`)}</span></p>
        <p class="muted">${t('fundsRegencies')}: ${s.regencyCodes.length}</p>
      </li>`)}</ul>` : html`<p>${t('empty')}</p>`}</section>
      <section>
        <${RegencyPicker} user=${user} value=${rc} onChange=${setRc} />
        <${DraftForm} id="sponsor-new" title=${t('newSponsor')} submitLabel=${t('create')} onDone=${reload}
          defaults=${() => ({ name: '', type: '' })}
          submit=${(v) => api('POST', '/sponsors', { body: { name: v.name, ...(v.type ? { type: v.type } : {}), regencyCodes: rc.length === 4 ? [rc] : [] } })}
          render=${(f) => {
            f.labels.regencyCodes = t('regency');
            return html`${input(f, 'name', t('sponsorName'))}${select(f, 'type', t('sponsorType'), SPONSOR_TYPES.map((s) => [s, t(`stype_${s}`)]), { placeholder: t('choose') })}
              ${f.fieldError('regencyCodes') ? html`<p class="field-error">${t('regency')}: ${f.fieldError('regencyCodes')}</p>` : null}`;
          }} />
      </section>
    </div>`}<//>
  </section>`;
}
