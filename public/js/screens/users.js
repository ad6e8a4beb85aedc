import { html, useState } from '../lib.js';
import { api, all } from '../api.js';
import { t, ROLES } from '../i18n.js';
import { Resource, useResource, Failure } from '../components/resource.js';
import { DraftForm, input, select } from '../components/forms.js';
import { RegencyPicker, useRegency } from '../components/regency.js';

/**
 * An OPD liaison is bound to an OPD and a CSR partner to a sponsor, both picked by name. A TPK
 * member needs neither: POST /users takes no villages or tpkRole; membership of a TPK team
 * (POST /api/v1/tpk-teams) gives both.
 */
function bindingFields(f, opds, sponsors) {
  const role = f.values.role;
  return html`${role === 'opd_liaison' ? select(f, 'opdId', t('opd'), opds.map((o) => [o.id, o.name]), { placeholder: t('choose') }) : null}
    ${role === 'csr_partner' ? select(f, 'sponsorId', t('sponsor'), sponsors.map((s) => [s.id, s.name]), { placeholder: t('choose') }) : null}
    ${role === 'tpk' ? html`<p class="help">${t('tpkUserHelp')}</p>` : null}`;
}

const bindingOf = (v) => ({
  ...(v.role === 'opd_liaison' && v.opdId ? { opdId: v.opdId } : {}),
  ...(v.role === 'csr_partner' && v.sponsorId ? { sponsorId: v.sponsorId } : {}),
});

function UserRow({ u, me, opds, sponsors, reload }) {
  const [open, setOpen] = useState(null);
  const [error, setError] = useState(null);
  const bound = u.opdId ? opds.find((o) => o.id === u.opdId)?.name : u.sponsorId ? sponsors.find((s) => s.id === u.sponsorId)?.name : null;
  async function toggle() {
    setError(null);
    try {
      await api('PATCH', `/users/${u.id}`, { body: { active: !u.active } });
      reload();
    } catch (e) {
      setError(e);
    }
  }
  return html`<li class=${u.active ? 'card' : 'card inactive'} data-user=${u.username}>
    <p><strong>${u.displayName}</strong> <span class="muted">${u.username}</span> <span class="badge">${t(`role_${u.role}`)}</span>${u.provinceCode ? html` <span class="badge">${t('scopeProvince')} ${u.provinceCode}</span>` : !u.regencyCode ? html` <span class="badge">${t('scopeNation')}</span>` : null} ${u.active ? null : html`<span class="badge overdue">${t('disabled')}</span>`}</p>
    ${bound ? html`<p>${u.opdId ? t('opd') : t('sponsor')}: ${bound}</p>` : null}
    <div class="buttons">
      <button type="button" class="secondary" aria-expanded=${String(open === 'role')} onClick=${() => setOpen(open === 'role' ? null : 'role')}>${t('changeRole')}</button>
      <button type="button" class="secondary" aria-expanded=${String(open === 'password')} onClick=${() => setOpen(open === 'password' ? null : 'password')}>${t('resetPassword')}</button>
      ${u.id !== me.id ? html`<button type="button" class="secondary" onClick=${toggle}>${u.active ? t('disable') : t('enable')}</button>` : null}
    </div>
    ${error ? html`<${Failure} error=${error} />` : null}
    ${open === 'role' ? html`<${DraftForm} id=${`user-${u.id}-role`} title=${t('changeRole')} submitLabel=${t('save')} onDone=${() => { setOpen(null); reload(); }}
      defaults=${() => ({ role: u.role, opdId: u.opdId ?? '', sponsorId: u.sponsorId ?? '' })}
      submit=${(v) => api('PATCH', `/users/${u.id}`, { body: { role: v.role, opdId: v.role === 'opd_liaison' ? v.opdId || undefined : null, sponsorId: v.role === 'csr_partner' ? v.sponsorId || undefined : null } })}
      render=${(f) => html`${select(f, 'role', t('role'), ROLES.map((r) => [r, t(`role_${r}`)]))}${bindingFields(f, opds, sponsors)}`} />` : null}
    ${open === 'password' ? html`<${PasswordForm} u=${u} done=${() => setOpen(null)} />` : null}
  </li>`;
}

/** A new password is held in memory only, never in a draft. */
function PasswordForm({ u, done }) {
  const [password, setPassword] = useState('');
  return html`<${DraftForm} id=${`user-${u.id}-password`} title=${t('resetPassword')} submitLabel=${t('save')} doneText=${t('passwordSet')} onDone=${() => { setPassword(''); done(); }}
    submit=${() => api('PATCH', `/users/${u.id}`, { body: { password } })}
    render=${(f) => {
      f.labels.password = t('newPassword');
      const err = f.fieldError('password');
      return html`<div class=${err ? 'field invalid' : 'field'}><label for=${`pw-${u.id}`}>${t('newPassword')}</label>
        <p class="help" id=${`pw-${u.id}-help`}>${t('passwordHelp')}</p>
        <input id=${`pw-${u.id}`} type="password" autocomplete="new-password" value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} aria-describedby=${`pw-${u.id}-help`} aria-invalid=${err ? 'true' : 'false'} />
        ${err ? html`<p class="field-error">${err}</p>` : null}</div>`;
    }} />`;
}

function CreateUser({ rc, opds, sponsors, reload }) {
  const [password, setPassword] = useState('');
  return html`<${DraftForm} id=${`user-new-${rc}`} title=${t('newUser')} submitLabel=${t('create')} doneText=${t('userCreated')} onDone=${() => { setPassword(''); reload(); }}
    defaults=${() => ({ username: '', displayName: '', role: '', email: '', opdId: '', sponsorId: '' })}
    submit=${(v) => api('POST', '/users', { body: {
      username: v.username, displayName: v.displayName, password, ...(v.role ? { role: v.role } : {}), ...(rc ? { regencyCode: rc } : {}), ...bindingOf(v), ...(v.email ? { email: v.email } : {}),
    } })}
    render=${(f) => {
      f.labels.password = t('password');
      const err = f.fieldError('password');
      return html`${input(f, 'displayName', t('displayName'), { autocomplete: 'off' })}
        ${input(f, 'username', t('username'), { autocomplete: 'off', help: t('usernameHelp') })}
        <div class=${err ? 'field invalid' : 'field'}><label for="new-user-password">${t('password')}</label>
          <p class="help" id="new-user-password-help">${t('passwordHelp')}</p>
          <input id="new-user-password" type="password" autocomplete="new-password" value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} aria-describedby="new-user-password-help" aria-invalid=${err ? 'true' : 'false'} />
          ${err ? html`<p class="field-error">${err}</p>` : null}</div>
        ${select(f, 'role', t('role'), ROLES.map((r) => [r, t(`role_${r}`)]), { placeholder: t('choose') })}
        ${bindingFields(f, opds, sponsors)}
        ${input(f, 'email', t('email'), { type: 'email', autocomplete: 'off' })}`;
    }} />`;
}

export function Users({ user }) {
  const [rc, setRc] = useRegency(user);
  const res = useResource(async () => {
    if (rc.length !== 4 && !user.regencyCode) return null;
    const [users, opds, sponsors] = await Promise.all([all('/users?limit=200'), all(`/opds?regencyCode=${rc}`), all('/sponsors')]);
    return { users: users.filter((u) => !rc || u.regencyCode === rc || u.regencyCode === null), opds, sponsors: sponsors.filter((s) => s.regencyCodes.includes(rc)) };
  }, [rc]);
  return html`<section><h1>${t('usersTitle')}</h1><p>${t('usersHelp')}</p>
    <${RegencyPicker} user=${user} value=${rc} onChange=${setRc} />
    <${Resource} res=${res}>${(d, reload) => (d ? html`<div class="grid2">
      <section><h2>${t('users')}</h2><ul class="cards" id="users">${d.users.map((u) => html`<${UserRow} key=${u.id} u=${u} me=${user} opds=${d.opds} sponsors=${d.sponsors} reload=${reload} />`)}</ul></section>
      <section><${CreateUser} key=${rc} rc=${rc} opds=${d.opds} sponsors=${d.sponsors} reload=${reload} /></section>
    </div>` : html`<p>${t('pickRegency')}</p>`)}<//>
  </section>`;
}
