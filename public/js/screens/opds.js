import { html, useState } from '../lib.js';
import { api, all } from '../api.js';
import { t } from '../i18n.js';
import { Resource, useResource, Failure } from '../components/resource.js';
import { DraftForm, input, select } from '../components/forms.js';
import { RegencyPicker, useRegency } from '../components/regency.js';

function OpdRow({ o, users, reload }) {
  const [open, setOpen] = useState(false);
  const head = users.find((u) => u.id === o.headUserId);
  return html`<li class="card" data-opd=${o.code}>
    <p><strong>${o.name}</strong> <span class="muted">${o.code}</span></p>
    <p>${t('opdHead')}: ${head ? head.displayName : '–'}</p>
    <button type="button" class="secondary" aria-expanded=${String(open)} onClick=${() => setOpen(!open)}>${t('edit')}</button>
    ${open ? html`<${DraftForm} id=${`opd-${o.id}`} title=${o.name} submitLabel=${t('save')} onDone=${() => { setOpen(false); reload(); }}
      defaults=${() => ({ name: o.name, headUserId: o.headUserId ?? '' })}
      submit=${(v) => api('PATCH', `/opds/${o.id}`, { body: { name: v.name, headUserId: v.headUserId || null } })}
      render=${(f) => html`${input(f, 'name', t('opdName'))}${select(f, 'headUserId', t('opdHead'), [['', t('none')], ...users.map((u) => [u.id, u.displayName])])}`} />` : null}
  </li>`;
}

export function Opds({ user }) {
  const [rc, setRc] = useRegency(user);
  const [seedError, setSeedError] = useState(null);
  const res = useResource(async () => {
    if (rc.length !== 4) return null;
    const [opds, users] = await Promise.all([all(`/opds?regencyCode=${rc}`), all('/users?limit=200&active=true')]);
    return { opds, users: users.filter((u) => u.regencyCode === rc) };
  }, [rc]);
  return html`<section><h1>${t('opdsTitle')}</h1><p>${t('opdsHelp')}</p>
    <${RegencyPicker} user=${user} value=${rc} onChange=${setRc} />
    <${Resource} res=${res}>${(d, reload) => (d ? html`
      <div class="buttons"><button type="button" class="secondary" onClick=${async () => {
        setSeedError(null);
        try {
          await api('POST', '/opds/seed', { body: { regencyCode: rc } });
          reload();
        } catch (e) {
          setSeedError(e);
        }
      }}>${t('seedOpds')}</button></div>
      ${seedError ? html`<${Failure} error=${seedError} />` : null}
      <div class="grid2">
        <section><h2>${t('opds')}</h2>${d.opds.length ? html`<ul class="cards" id="opds">${d.opds.map((o) => html`<${OpdRow} key=${o.id} o=${o} users=${d.users} reload=${reload} />`)}</ul>` : html`<p>${t('empty')}</p>`}</section>
        <section><${DraftForm} key=${rc} id=${`opd-new-${rc}`} title=${t('newOpd')} submitLabel=${t('create')} onDone=${reload}
          defaults=${() => ({ code: '', name: '', headUserId: '' })}
          submit=${(v) => api('POST', '/opds', { body: { regencyCode: rc, code: v.code.trim().toUpperCase(), name: v.name, ...(v.headUserId ? { headUserId: v.headUserId } : {}) } })}
          render=${(f) => html`${input(f, 'name', t('opdName'))}${input(f, 'code', t('opdCode'), { help: t('opdCodeHelp') })}
            ${select(f, 'headUserId', t('opdHead'), [['', t('none')], ...d.users.map((u) => [u.id, u.displayName])])}`} /></section>
      </div>` : html`<p>${t('pickRegency')}</p>`)}<//>
  </section>`;
}
