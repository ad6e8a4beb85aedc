import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AwsClient } from 'aws4fetch';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceUnavailable } from '../../src/common/errors/domain-error.js';
import { parseS3Url, type S3Location } from '../../src/config/s3-url.js';
import { EvidenceFiles } from '../../src/modules/aksi/evidence-files.js';
import { S3EvidenceFiles } from '../../src/modules/aksi/s3-evidence-files.js';
import { type FakeS3, startFakeS3 } from '../support/fake-s3.js';
import { createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, createUser, type World } from '../support/world.js';

const YEAR = 2027;
const CYCLE = { uploadDeadline: '2027-01-20', verificationDate: '2027-01-27', assessmentDate: '2027-02-03' };
const PREFIX = 'tuntas/aksi';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** A body with a marker no table may hold, and bytes that are not text. */
const body = (marker: string) => Buffer.concat([Buffer.from(`%PDF-1.7\n${marker}\n`), randomBytes(64 * 1024)]);

function locationOf(url: string): S3Location {
  const parsed = parseS3Url(url);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.location;
}

describe('8 Aksi evidence files in an S3-compatible bucket (AKSI_FILES_URL)', () => {
  let s3: FakeS3;
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let liaison: Record<string, string>;
  let docId: string;
  const scratch = mkdtempSync(join(tmpdir(), 'aksi-s3-'));

  const http = () => t.http();
  const upload = (b: Buffer, name = 'analisis.pdf', who = liaison) => http().post(`/api/v1/aksi/documents/${docId}/versions`).set(who).attach('file', b, name);
  const download = (n: number, who = cm) =>
    http()
      .get(`/api/v1/aksi/documents/${docId}/versions/${n}`)
      .set(who)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const keyOf = (sha: string) => `${PREFIX}/${sha.slice(0, 2)}/${sha}.bin`;

  beforeAll(async () => {
    s3 = await startFakeS3();
    // AKSI_FILES_DIR '' drops the test default: a store is named once, by URL.
    t = await createTestApp({ AKSI_FILES_DIR: '', AKSI_FILES_URL: s3.filesUrl(PREFIX), JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    t.clock.set(new Date('2027-01-02T03:00:00Z'));
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    const national = bearer(w.nationalToken);
    const bappeda = await http()
      .post('/api/v1/opds')
      .set(national)
      .send({ regencyCode: w.a.regencyCode, code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah' })
      .expect(201);
    const l = await createUser(t, w.nationalToken, { username: 'liaison.bappeda.s3', role: 'opd_liaison', regencyCode: w.a.regencyCode, opdId: bappeda.body.id });
    liaison = bearer(await login(t, 'liaison.bappeda.s3', l.password));
    await http().put(`/api/v1/aksi/${YEAR}/cycle`).set(bearer(w.a.tokens.admin)).send(CYCLE).expect(200);
    const created = await http().post(`/api/v1/aksi/${YEAR}/documents`).set(cm).send({ action: 1, type: 'situation_analysis', title: 'Laporan Analisis Situasi 2027' }).expect(201);
    docId = created.body.id;
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    await s3?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('chooses the bucket at start and says where, without the secret', () => {
    expect(t.app.get(EvidenceFiles)).toBeInstanceOf(S3EvidenceFiles);
    const logs = t.logs.join('');
    expect(logs).toContain(`8 Aksi evidence files are kept in the S3-compatible bucket ${s3.endpoint}/${s3.bucket}/${PREFIX}?region=${s3.region}`);
    expect(logs).not.toContain(s3.secretAccessKey);
    expect(logs).not.toContain(encodeURIComponent(s3.secretAccessKey));
  });

  it('keeps each body once in the bucket, named by its sha256 and signed with it, and in no table', async () => {
    const b1 = body('isi-berkas-satu-7f3a');
    const sha1 = sha256(b1);
    const v1 = await upload(b1).expect(201);
    expect(v1.body).toMatchObject({ state: 'draft', currentVersion: 1, versions: [{ n: 1, sha256: sha1, size: b1.length, filename: 'analisis.pdf' }] });
    // The same body again: version 2, the same object; not sent a second time.
    const v2 = await upload(b1, 'analisis-lagi.pdf').expect(201);
    expect(v2.body.versions.map((v: { n: number; sha256: string }) => [v.n, v.sha256])).toEqual([
      [1, sha1],
      [2, sha1],
    ]);
    expect([...s3.objects().keys()]).toEqual([keyOf(sha1)]);
    expect(s3.objects().get(keyOf(sha1))!.equals(b1)).toBe(true);
    const forKey = s3.requests.filter((r) => r.key === keyOf(sha1)).map((r) => [r.method, r.status, r.contentSha256]);
    expect(forKey).toEqual([
      ['HEAD', 404, 'UNSIGNED-PAYLOAD'],
      ['PUT', 200, sha1], // the store checked the body against the signed sha256
      ['HEAD', 200, 'UNSIGNED-PAYLOAD'],
    ]);

    const b2 = body('isi-berkas-dua-91c0');
    const sha2 = sha256(b2);
    await upload(b2, 'analisis-v3.pdf').expect(201);
    const objects = s3.objects();
    expect([...objects.keys()].sort()).toEqual([keyOf(sha1), keyOf(sha2)].sort());
    for (const [key, stored] of objects) expect(key).toBe(keyOf(sha256(stored)));

    // Nothing of a body is in any table: only its description.
    const tables = await t.sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    expect(tables.length).toBeGreaterThan(10);
    for (const { table_name } of tables) {
      for (const marker of ['isi-berkas-satu-7f3a', 'isi-berkas-dua-91c0', '%PDF-1.7']) {
        expect([table_name, await t.sql(`SELECT 1 FROM "${table_name}" x WHERE x::text LIKE $1 LIMIT 1`, [`%${marker}%`])]).toEqual([table_name, []]);
      }
    }
    const rows = await t.sql<{ n: number; sha256: string; size: number }>(`SELECT n, sha256, size FROM aksi_document_versions WHERE document_id = $1 ORDER BY n`, [docId]);
    expect(rows.map((r) => [r.n, r.sha256, Number(r.size)])).toEqual([
      [1, sha1, b1.length],
      [2, sha1, b1.length],
      [3, sha2, b2.length],
    ]);
  });

  it("serves a version's body from the bucket, byte for byte; a body missing from the bucket is 404", async () => {
    const [v3] = await t.sql<{ sha256: string }>(`SELECT sha256 FROM aksi_document_versions WHERE document_id = $1 AND n = 3`, [docId]);
    const res = await download(3, bearer(w.a.tokens.viewer)).expect(200);
    expect(sha256(res.body as Buffer)).toBe(v3.sha256);
    expect(res.headers.etag).toBe(`"${v3.sha256}"`);
    expect(res.headers['content-disposition']).toContain('filename="analisis-v3.pdf"');
    await download(1).expect(200);
    await download(99).expect(404);
    await download(3, bearer(w.b.tokens.case_manager)).expect(404);

    // A bucket restored without an object: the version is described, its body is not there.
    const lost = body('hilang');
    await upload(lost, 'hilang.pdf').expect(201);
    s3.remove(keyOf(sha256(lost)));
    const missing = await download(4).expect(404);
    expect(JSON.parse((missing.body as Buffer).toString())).toMatchObject({ error: 'NOT_FOUND', message: 'version file not found' });
  });

  it('the store checks what it is sent: a wrong secret or a body that is not its signed sha256 is refused, and nothing is kept', async () => {
    // The fake store verifies Signature V4 and the payload hash, as a real one does.
    const client = new AwsClient({ accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, service: 's3', region: s3.region, retries: 0 });
    const claimed = sha256(Buffer.from('the body that was meant'));
    const tampered = await client.fetch(`${s3.endpoint}/${s3.bucket}/${keyOf(claimed)}`, {
      method: 'PUT',
      body: 'a body damaged on the way',
      headers: { 'x-amz-content-sha256': claimed },
    });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    expect(s3.objects().has(keyOf(claimed))).toBe(false);

    // A store whose secret is wrong: 503 in plain words, the temp file gone, no secret anywhere.
    const wrong = new S3EvidenceFiles(locationOf(s3.filesUrl(PREFIX, { accessKeyId: s3.accessKeyId, secretAccessKey: 'not/the+secret' })));
    const temp = join(scratch, 'upload.tmp');
    writeFileSync(temp, body('salah-kunci'));
    const refused = await wrong.keep(temp).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ServiceUnavailable);
    expect((refused as Error).message).toBe('the evidence file store is unavailable (it refused the access key or secret: 403 to HEAD), try again');
    expect(existsSync(temp)).toBe(false);
    // A GET answers with S3's code, never its message (which echoes the string it signed).
    const read = await wrong.open(sha256(Buffer.from('x'))).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(read?.message).toBe('the evidence file store is unavailable (it refused the access key or secret: 403 SignatureDoesNotMatch to GET), try again');
    // A bucket that does not exist.
    const noBucket = new S3EvidenceFiles({ ...locationOf(s3.filesUrl(PREFIX)), bucket: 'no-such-bucket' });
    writeFileSync(temp, body('tanpa-bucket'));
    await expect(noBucket.keep(temp)).rejects.toThrow('the evidence file store is unavailable (bucket no-such-bucket does not exist: 404 NoSuchBucket to PUT), try again');
    expect(existsSync(temp)).toBe(false);
  });

  it('answers 503, not 500, while the store is down, and records nothing', async () => {
    const before = (await http().get(`/api/v1/aksi/documents/${docId}`).set(cm).expect(200)).body;
    const [{ n: historyBefore }] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM aksi_document_history WHERE document_id = $1`, [docId]);
    await s3.stop();

    const down = await upload(body('saat-mati'), 'saat-mati.pdf').expect(503);
    expect(down.body).toEqual({ error: 'SERVICE_UNAVAILABLE', message: 'the evidence file store is unavailable (connection refused), try again', details: {} });
    expect(down.headers['retry-after']).toBe('5');
    const id = await upload(body('saat-mati'), 'saat-mati.pdf').set('Accept-Language', 'id').expect(503);
    expect(id.body.message).toBe('penyimpanan berkas bukti tidak dapat dihubungi (connection refused), coba lagi');

    // Nothing was written: no version row, the document at the same version, no history entry.
    const after = (await http().get(`/api/v1/aksi/documents/${docId}`).set(cm).expect(200)).body;
    expect([after.version, after.currentVersion, after.versions.length]).toEqual([before.version, before.currentVersion, before.versions.length]);
    const [{ n: versions }] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM aksi_document_versions WHERE document_id = $1`, [docId]);
    expect(Number(versions)).toBe(4);
    const [{ n: historyAfter }] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM aksi_document_history WHERE document_id = $1`, [docId]);
    expect(Number(historyAfter)).toBe(Number(historyBefore));

    // Reading a version is 503 too; the API itself stays up.
    const read = await download(1).expect(503);
    expect(read.headers['content-type']).toMatch(/application\/json/);
    await http().get(`/api/v1/aksi/documents/${docId}`).set(cm).expect(200);

    const logs = t.logs.join('');
    expect(logs).toContain('evidence file store unreachable');
    expect(logs).not.toContain(s3.secretAccessKey);
    expect(logs).not.toContain(encodeURIComponent(s3.secretAccessKey));
    expect(JSON.stringify([down.body, id.body])).not.toContain(s3.accessKeyId);
  });
});
