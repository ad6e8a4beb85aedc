// Small labels: a step in words, overdue, waiting for signal.
import { html } from '../lib.js';
import { t } from '../i18n.js';

const PREFIX = { case: 'state_', task: 'tstate_', intervention: 'istate_' };

export const StateBadge = ({ kind, value }) => html`<span class=${`badge state-${value}`}>${t(`${PREFIX[kind]}${value}`)}</span>`;
export const OverdueBadge = ({ overdue }) => (overdue ? html`<span class="badge overdue">${t('overdue')}</span>` : null);
export const PendingBadge = () => html`<span class="badge pending">${t('pendingSignal')}</span>`;
