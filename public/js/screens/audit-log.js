import { html, useState } from '../lib.js';
import { all } from '../api.js';
import { t, AUDIT_ACTIONS } from '../i18n.js';
import { formatDateTime } from '../format.js';
import { Failure } from '../components/resource.js';
import { DraftForm, input, select } from '../components/forms.js';
import { SubjectPicker } from './privacy.js';

const COLUMNS = ['at', 'actorName', 'actorRole', 'action', 'entityType', 'entityId', 'subjectId', 'purpose', 'requestId', 'regencyCode'];

/** RFC 4180 CSV, with a BOM so Excel reads it as UTF-8; cells that a spreadsheet would run as a formula are quoted as text. */
export function toCsv(rows) {
  const cell = (v) => {
    if (v === null || v === undefined) return '';
    let s = String(v);
    if (/^[=+\-@]/.test(s)) s = `'${s}`;
    return /[",\n\r;]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `\uFEFF${[COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n')}\r\n`;
}

function saveFile(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The DPO's question: who read or changed what, when and why. */
export function AuditLog() {
  const [rows, setRows] = useState(null);
  const [subject, setSubject] = useState(null);
  const [actors, setActors] = useState([]);
  const [error, setError] = useState(null);
  async function run(v) {
    setError(null);
    const q = new URLSearchParams({ limit: '200' });
    if (subject) q.set('subjectId', subject.id);
    if (v.userId) q.set('userId', v.userId);
    if (v.action) q.set('action', v.action);
    if (v.from) q.set('from', v.from);
    if (v.to) q.set('to', new Date(Date.parse(`${v.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
    const found = await all(`/audit-log?${q}`);
    setRows(found);
    setActors((before) => {
      const seen = new Map(before.map((a) => [a.id, a]));
      for (const r of found) if (r.actorId && !seen.has(r.actorId)) seen.set(r.actorId, { id: r.actorId, name: r.actorName ?? r.actorId, role: r.actorRole });
      return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
    });
    return { count: found.length };
  }
  return html`<section><h1>${t('auditTitle')}</h1><p>${t('auditHelp')}</p>
    <${SubjectPicker} picked=${subject} onPick=${setSubject} />
    <${DraftForm} id="audit-query" title=${t('auditQuery')} submitLabel=${t('search')} doneText=${t('auditDone')}
      defaults=${() => ({ userId: '', action: '', from: '', to: '' })}
      submit=${run}
      render=${(f) => html`<div class="row4">
        ${select(f, 'userId', t('user'), [['', t('anyone')], ...actors.map((a) => [a.id, `${a.name} (${a.role ? t(`role_${a.role}`) : '–'})`])])}
        ${select(f, 'action', t('auditAction'), [['', t('anything')], ...AUDIT_ACTIONS.map((a) => [a, t(`act_${a}`)])])}
        ${input(f, 'from', t('from'), { type: 'date' })}
        ${input(f, 'to', t('to'), { type: 'date' })}
      </div>`} />
    ${error ? html`<${Failure} error=${error} />` : null}
    ${rows ? html`<h2>${t('auditResults')} (<span id="audit-count">${rows.length}</span>)</h2>
      ${rows.length ? html`<button type="button" class="secondary" onClick=${() => saveFile(`audit-log-${new Date().toISOString().slice(0, 10)}.csv`, 'text/csv;charset=utf-8', toCsv(rows))}>${t('exportCsv')}</button>
      <table class="queue" id="audit-rows"><thead><tr><th scope="col">${t('when')}</th><th scope="col">${t('user')}</th><th scope="col">${t('auditAction')}</th><th scope="col">${t('purpose')}</th></tr></thead>
        <tbody>${rows.map((r) => html`<tr key=${`${r.regencyCode}-${r.seq}`}>
          <td data-label=${t('when')}>${formatDateTime(r.at, r.regencyCode)}</td>
          <td data-label=${t('user')}>${r.actorName ?? '–'}${r.actorRole ? ` (${t(`role_${r.actorRole}`)})` : ''}</td>
          <td data-label=${t('auditAction')}>${AUDIT_ACTIONS.includes(r.action) ? t(`act_${r.action}`) : r.action}</td>
          <td data-label=${t('purpose')}>${r.purpose ?? '–'}</td>
        </tr>`)}</tbody></table>` : html`<p>${t('empty')}</p>`}` : null}
  </section>`;
}
