import { html, useState } from '../lib.js';
import { api, setToken, whoAmI } from '../api.js';
import { t } from '../i18n.js';
import { DraftForm, input } from '../components/forms.js';

/** The password is held in memory only, never in the form's draft. */
export function Login({ onLogin }) {
  const [password, setPassword] = useState('');
  return html`<main id="main" class="narrow">
    <h1>${t('loginTitle')}</h1>
    <p>${t('loginHelp')}</p>
    <${DraftForm} id="login" defaults=${() => ({ username: '' })} submitLabel=${t('login')}
      submit=${async (v) => {
        const r = await api('POST', '/auth/login', { body: { username: (v.username ?? '').trim(), password } });
        setToken(r.accessToken);
        onLogin(await whoAmI());
      }}
      render=${(f) => html`${input(f, 'username', t('username'), { autocomplete: 'username', required: true })}
        <div class="field"><label for="login-password">${t('password')}</label>
          <input id="login-password" name="password" type="password" autocomplete="current-password" required value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} /></div>`} />
  </main>`;
}
