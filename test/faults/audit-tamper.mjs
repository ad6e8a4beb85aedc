// A superuser rewrites an audit entry behind the triggers' back: npm run audit:verify names it.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { adminQuery, call, caseManager, check, must, secrets, SERVER, startService, stopService } from './lib.mjs';

const DB = 'tuntas_fault_audit';

export async function auditTamper() {
  console.log('fault: an audit entry is rewritten directly in the database');
  await adminQuery(SERVER, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await adminQuery(SERVER, `CREATE DATABASE ${DB}`);
  const env = { ...secrets(), DATABASE_URL: `${SERVER}/${DB}` };
  const svc = await startService(env, 3924);
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  try {
    const { token } = await caseManager(svc.api, env.ADMIN_PASSWORD);
    const s = await must('POST', `${svc.api}/subjects`, { targetGroup: 'BALITA', name: 'Anak Audit', sex: 'F', birthDate: '2024-01-01', villageCode: '3216062005' }, token);
    for (let i = 0; i < 5; i++) await call('GET', `${svc.api}/subjects/${s.id}`, undefined, token, { 'X-Purpose': 'kunjungan' });
    await stopService(svc);
    const verify = () => spawnSync(process.execPath, ['dist/src/audit-verify.js'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    const clean = verify();
    check(clean.status === 0 && /all intact/.test(clean.stdout), `audit:verify passes an untouched trail (${clean.stdout.trim()})`);
    await db.connect();
    const { rows } = await db.query(`SELECT regency_code, seq FROM audit_log WHERE action = 'subject.read' ORDER BY seq LIMIT 1 OFFSET 2`);
    await db.query('BEGIN');
    await db.query(`SET LOCAL session_replication_role = replica`);
    await db.query(`UPDATE audit_log SET purpose = 'rutin' WHERE regency_code = $1 AND seq = $2`, [rows[0].regency_code, rows[0].seq]);
    await db.query('COMMIT');
    const tampered = verify();
    check(tampered.status === 1, 'audit:verify fails on the tampered trail');
    check(tampered.stdout.includes(`BROKEN regency ${rows[0].regency_code} at entry ${rows[0].seq}`), `and names the entry: ${tampered.stdout.split('\n')[0]}`);
    const refused = spawnSync('psql', [env.DATABASE_URL, '-qc', 'DELETE FROM audit_log'], { encoding: 'utf8' });
    check(refused.status !== 0 && /append-only/.test(refused.stderr), 'a plain DELETE is refused by the trigger');
  } finally {
    await stopService(svc);
    await db.end().catch(() => undefined);
    await adminQuery(SERVER, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  }
}
