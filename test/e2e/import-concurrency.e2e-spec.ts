import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ImportEntity, Rejection } from '../../src/modules/imports/import.entity.js';
import { ImportsRepository } from '../../src/modules/imports/imports.repository.js';
import { waitForImport } from '../support/imports.js';
import { ADMIN, createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer } from '../support/world.js';

type Status = ImportEntity['status'];

const EPPGBM = 'Nama Anak;JK;Tgl Lahir;Kode Desa;Tanggal Pengukuran;Berat;Tinggi;Cara Ukur\n';
const child = (name: string) => Buffer.from(`${EPPGBM}${name};P;05/02/2025;3216062005;10/11/2026;8,35;71,2;terlentang\n`);
const FAMILIES = Buffer.from('no_kk;nama_kepala_keluarga;nama_istri;kode_desa;periode\n3216060101230101;Ahmad Fauzi;Siti;3216062005;2023-2\n');

/**
 * IMPORT_CONCURRENCY (issue 14, finding 3): at most that many imports run at once per instance,
 * the rest wait in `queued`. Nothing here depends on how long anything takes: the first import
 * is held after it has written its first batch (its progress write waits on a gate the test
 * opens), so it is `running` for as long as the test wants; the order of every import's
 * progress writes is recorded, which tells whether the second started before the first ended.
 */
describe('IMPORT_CONCURRENCY=1', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  /** Each progress write as it reaches the database: import id and the status it writes. */
  const writes: [string, Status][] = [];
  let hold: { id: string; reached: () => void; opened: Promise<void> } | undefined;

  beforeAll(async () => {
    t = await createTestApp({ IMPORT_CONCURRENCY: '1' });
    admin = bearer(await login(t, ADMIN.username, ADMIN.password));
    const repo = t.app.get(ImportsRepository, { strict: false });
    const progress = repo.progress.bind(repo);
    repo.progress = async (job: ImportEntity, rejections: Rejection[]) => {
      const h = hold;
      // Held once it has read and stored rows, before it says so: `running` in the database.
      if (h && job.id === h.id && job.status === 'running' && job.rowsRead > 0) {
        hold = undefined;
        h.reached();
        await h.opened;
      }
      writes.push([job.id, job.status]);
      return progress(job, rejections);
    };
  });
  afterAll(async () => {
    await t?.close();
  });

  const upload = async (path: 'eppgbm' | 'families', file: Buffer, name: string) => {
    const res = await t.http().post(`/api/v1/imports/${path}`).set(admin).field('regencyCode', '3216').attach('file', file, name);
    expect(res.status).toBe(202);
    return res.body.id as string;
  };
  const status = async (id: string): Promise<Status> => (await t.http().get(`/api/v1/imports/${id}`).set(admin).expect(200)).body.status;

  /** Uploads the first import and returns once it is running and held; `open` lets it finish. */
  async function heldFirst(name: string): Promise<{ id: string; open: () => void }> {
    let reached!: () => void;
    let open!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    const opened = new Promise<void>((r) => (open = r));
    const id = await upload('eppgbm', child(name), 'pertama.csv');
    hold = { id, reached, opened };
    await atGate;
    return { id, open };
  }

  it.each([
    ['an e-PPGBM upload', 'Rina Ayu', 'eppgbm', child('Bayu Aji'), 'kedua.csv'],
    ['a family upload (the slots are shared)', 'Dewi Lestari', 'families', FAMILIES, 'keluarga.csv'],
  ] as const)('%s stays queued while the first import runs, then runs and completes', async (_, firstChild, path, file, name) => {
    writes.length = 0;
    const first = await heldFirst(firstChild);
    const second = await upload(path, file, name);

    // The first holds the only slot: the second waits, however often one looks.
    for (let look = 0; look < 3; look++) expect([await status(first.id), await status(second)]).toEqual(['running', 'queued']);
    expect(writes.filter(([id]) => id === second)).toEqual([]);

    first.open();
    expect(await waitForImport(t, admin, first.id)).toMatchObject({ status: 'done', rowsTaken: 1 });
    expect(await waitForImport(t, admin, second)).toMatchObject({ status: 'done', rowsRead: 1, rowsTaken: 1, rowsRejected: 0 });
    // The second's first write (`running`) came after the first's last (`done`).
    const lastOfFirst = writes.findLastIndex(([id]) => id === first.id);
    const firstOfSecond = writes.findIndex(([id]) => id === second);
    expect(writes[lastOfFirst]).toEqual([first.id, 'done']);
    expect(writes[firstOfSecond]).toEqual([second, 'running']);
    expect(firstOfSecond).toBeGreaterThan(lastOfFirst);
  });
});
