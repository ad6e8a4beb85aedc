// The Tuntas console: the shell (header, menu, language, who is logged in, writes waiting for
// signal) and the route table. Each screen is one file in screens/; every call goes to /api/v1
// with the user's token (api.js).
import { html, render, useEffect, useState } from './lib.js';
import { getToken, setToken, setUnauthenticatedHandler, whoAmI } from './api.js';
import { t, lang, setLang } from './i18n.js';
import { zoneName } from './format.js';
import { registerServiceWorker, startQueue } from './offline.js';
import { useQueue } from './components/queue.js';
import { aggregatesOnly as wide } from './components/regency.js';
import { Login } from './screens/login.js';
import { Cases } from './screens/cases.js';
import { CasePage } from './screens/case.js';
import { Inbox } from './screens/inbox.js';
import { Imports } from './screens/imports.js';
import { Interventions } from './screens/interventions.js';
import { InterventionPage } from './screens/intervention.js';
import { Report } from './screens/report.js';
import { Overview } from './screens/overview.js';
import { Users } from './screens/users.js';
import { Opds } from './screens/opds.js';
import { Sponsors } from './screens/sponsors.js';
import { SlaPolicy } from './screens/sla.js';
import { AuditLog } from './screens/audit-log.js';
import { Privacy } from './screens/privacy.js';
import { TpkDay } from './screens/tpk-day.js';
import { FamilyPage } from './screens/family-page.js';
import { EarlyWarning } from './screens/early-warning.js';
import { Dashboard } from './screens/dashboard.js';
import { Province } from './screens/province.js';
import { AksiBoard } from './screens/aksi.js';
import { AksiDocumentPage } from './screens/aksi-document.js';
import { AnsitGrid } from './screens/ansit.js';

/** path → screen; `:id` takes the last part of the hash (`cases/:id`, `aksi/documents/:id`). */
const ROUTES = {
  cases: Cases,
  'cases/:id': CasePage,
  tasks: Inbox,
  imports: Imports,
  interventions: Interventions,
  'interventions/:id': InterventionPage,
  report: Report,
  overview: Overview,
  users: Users,
  opds: Opds,
  sponsors: Sponsors,
  sla: SlaPolicy,
  audit: AuditLog,
  privacy: Privacy,
  tpk: TpkDay,
  'families/:id': FamilyPage,
  watch: EarlyWarning,
  dashboard: Dashboard,
  province: Province,
  aksi: AksiBoard,
  'aksi/documents/:id': AksiDocumentPage,
  ansit: AnsitGrid,
};

/** The menu of each role, first entry its home. */
const NAV = {
  case_manager: ['cases', 'dashboard', 'watch', 'imports', 'interventions', 'overview', 'aksi', 'ansit'],
  auditor: ['cases', 'aksi'],
  admin: ['overview', 'dashboard', 'users', 'opds', 'sponsors', 'sla', 'cases', 'imports', 'interventions', 'report', 'aksi', 'ansit'],
  viewer: ['overview', 'dashboard', 'cases', 'interventions', 'report', 'aksi'],
  opd_liaison: ['tasks', 'overview', 'aksi', 'ansit'],
  csr_partner: ['interventions', 'report'],
  dpo: ['audit', 'privacy'],
  tpk: ['tpk', 'watch'],
};
/** Province users and national viewers see aggregates only: their own menu. */
const WIDE_NAV = { viewer: ['province', 'aksi'], admin: ['province', 'users', 'aksi'] };
const menuOf = (user) => (wide(user) ? WIDE_NAV[user.role] : NAV[user.role]) ?? [];
const home = (user) => `#/${menuOf(user)[0] ?? 'cases'}`;

const parseHash = () => (location.hash.replace(/^#\/?/, '') || '').split('/').filter(Boolean);

function match(parts) {
  if (parts.length === 3 && ROUTES[`${parts[0]}/${parts[1]}/:id`]) return { Screen: ROUTES[`${parts[0]}/${parts[1]}/:id`], id: parts[2] };
  const [screen, id] = parts;
  if (id && ROUTES[`${screen}/:id`]) return { Screen: ROUTES[`${screen}/:id`], id };
  return ROUTES[screen] && !id ? { Screen: ROUTES[screen] } : null;
}

function useHash() {
  const [parts, setParts] = useState(parseHash);
  useEffect(() => {
    const on = () => setParts(parseHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return parts;
}

function useOnline() {
  const [online, setOnline] = useState(navigator.onLine !== false);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

function Header({ user, onLang, onLogout, current }) {
  const waiting = useQueue().filter((w) => w.status === 'waiting').length;
  const online = useOnline();
  return html`<header class="top">
    <span class="brand">${t('appName')}</span>
    ${user ? html`<nav aria-label=${t('menu')}>${menuOf(user).map((n) => html`<a href=${`#/${n}`} aria-current=${current === n ? 'page' : undefined}>${t(`nav_${n}`)}</a>`)}</nav>` : null}
    <span class="spacer"></span>
    ${!online ? html`<span class="badge offline" role="status">${t('offline')}</span>` : null}
    ${waiting ? html`<span class="badge pending" role="status" id="pending-count">${waiting} ${t('pendingSignal')}</span>` : null}
    ${user ? html`<span class="who">${user.displayName} · ${t(`role_${user.role}`)}${user.regencyCode ? ` · ${zoneName(user.regencyCode)}` : ''}</span>` : null}
    <button type="button" class="link lang" onClick=${onLang} lang=${lang() === 'id' ? 'en' : 'id'}>${t('switchTo')}</button>
    ${user ? html`<button type="button" class="link" onClick=${onLogout}>${t('logout')}</button>` : null}
  </header>`;
}

function App() {
  const [user, setUser] = useState(null);
  const [ready, setReady] = useState(false);
  const [, setLangState] = useState(lang());
  const parts = useHash();

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setToken(null);
      setUser(null);
    });
    (async () => {
      if (getToken()) {
        try {
          const me = await whoAmI();
          setUser(me);
          startQueue(me);
        } catch {
          setToken(null);
        }
      }
      setReady(true);
    })();
  }, []);

  const switchLang = () => {
    setLang(lang() === 'id' ? 'en' : 'id');
    setLangState(lang());
  };
  const logout = () => {
    setToken(null);
    startQueue(null);
    setUser(null);
  };

  if (!ready) return html`<p class="loading">${t('loading')}</p>`;
  if (!user) {
    return html`<${Header} user=${null} onLang=${switchLang} /><${Login} onLogin=${(u) => { setUser(u); startQueue(u); location.hash = home(u); }} />`;
  }
  const found = match(parts);
  if (!parts.length) location.replace(home(user));
  const { Screen, id } = found ?? {};
  return html`<a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>${t('skip')}</a>
    <${Header} user=${user} onLang=${switchLang} onLogout=${logout} current=${parts[0]} />
    <main id="main" tabindex="-1">${Screen ? html`<${Screen} key=${parts.join('/')} id=${id} user=${user} />` : parts.length ? html`<p>${t('notFound')}</p>` : null}</main>`;
}

registerServiceWorker();
render(html`<${App} />`, document.getElementById('app'));
