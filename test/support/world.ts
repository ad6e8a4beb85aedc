import { ALL_ROLES, type Role } from '../../src/modules/identity/role.js';
import { ADMIN, login, type TestApp } from './test-app.js';

export const REGENCY_A = { code: '3216', village: '3216062005', district: '321606' }; // Kab. Bekasi
export const REGENCY_B = { code: '3273', village: '3273011001', district: '327301' }; // Kota Bandung

export interface RegencyWorld {
  regencyCode: string;
  village: string;
  opdId: string;
  sponsorId: string;
  subjectId: string;
  /** A plain user admins can edit in the matrix. */
  targetUserId: string;
  /** One active user per role, with a token. */
  tokens: Record<Role, string>;
  userIds: Record<Role, string>;
}

export interface World {
  nationalToken: string;
  a: RegencyWorld;
  b: RegencyWorld;
}

let seq = 0;
/** A valid NIK for a girl registered in a district, unique per call. */
export function nikFor(district: string, birth = '010324'): string {
  seq += 1;
  const dd = String(Number(birth.slice(0, 2)) + 40).padStart(2, '0');
  return `${district}${dd}${birth.slice(2)}${String(seq).padStart(4, '0')}`;
}

export function bearer(token: string) {
  return { Authorization: `Bearer ${token}` };
}

async function expectOk(res: { status: number; body: unknown }, what: string): Promise<{ id: string } & Record<string, unknown>> {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

/** The fixture password of a test user: long, and without the username in it (the policy refuses that). */
export function passwordOf(username: string): string {
  return `pw-${[...username].reverse().join('')}-0123456789`;
}

export async function createUser(
  t: TestApp,
  adminToken: string,
  u: { username: string; role: Role; regencyCode?: string; provinceCode?: string; opdId?: string; sponsorId?: string; password?: string },
): Promise<{ id: string; password: string }> {
  const password = u.password ?? passwordOf(u.username);
  const res = await t
    .http()
    .post('/api/v1/users')
    .set(bearer(adminToken))
    .send({ displayName: u.username, password, ...u });
  return { id: (await expectOk(res, `create user ${u.username}`)).id, password };
}

async function buildRegency(t: TestApp, national: string, r: typeof REGENCY_A, tag: string): Promise<RegencyWorld> {
  const http = () => t.http();
  const opd = await expectOk(
    await http().post('/api/v1/opds').set(bearer(national)).send({ regencyCode: r.code, code: 'DINKES', name: `Dinas Kesehatan ${tag}` }),
    'opd',
  );
  const sponsor = await expectOk(
    await http().post('/api/v1/sponsors').set(bearer(national)).send({ name: `PT Sponsor ${tag}`, type: 'company', regencyCodes: [r.code] }),
    'sponsor',
  );
  const tokens = {} as Record<Role, string>;
  const userIds = {} as Record<Role, string>;
  for (const role of ALL_ROLES) {
    const username = `${role.replace('_', '')}.${tag}`;
    const user = await createUser(t, national, {
      username,
      role,
      regencyCode: r.code,
      ...(role === 'opd_liaison' ? { opdId: opd.id } : {}),
      ...(role === 'csr_partner' ? { sponsorId: sponsor.id } : {}),
    });
    userIds[role] = user.id;
    tokens[role] = await login(t, username, user.password);
  }
  const target = await createUser(t, national, { username: `target.${tag}`, role: 'viewer', regencyCode: r.code });
  const subject = await expectOk(
    await http()
      .post('/api/v1/subjects')
      .set(bearer(tokens.case_manager))
      .send({ targetGroup: 'BALITA', name: `Anak ${tag}`, sex: 'F', birthDate: '2024-03-01', nik: nikFor(r.district), villageCode: r.village }),
    'subject',
  );
  return {
    regencyCode: r.code,
    village: r.village,
    opdId: opd.id,
    sponsorId: sponsor.id,
    subjectId: subject.id,
    targetUserId: target.id,
    tokens,
    userIds,
  };
}

/** Two regencies, each with an OPD, a sponsor, a subject and one logged-in user per role. */
export async function buildWorld(t: TestApp): Promise<World> {
  const nationalToken = await login(t, ADMIN.username, ADMIN.password);
  return {
    nationalToken,
    a: await buildRegency(t, nationalToken, REGENCY_A, 'a'),
    b: await buildRegency(t, nationalToken, REGENCY_B, 'b'),
  };
}

/** Province and national users (aggregates only): province 32 holds both regencies of the world, 31 (DKI Jakarta) neither. */
export interface WideActors {
  tokens: { provinceViewer: string; provinceAdmin: string; nationalViewer: string; otherProvinceViewer: string };
  userIds: { provinceViewer: string; provinceAdmin: string; nationalViewer: string; otherProvinceViewer: string };
}

export async function buildWideActors(t: TestApp, nationalToken: string, tag = 'w'): Promise<WideActors> {
  const specs = {
    provinceViewer: { role: 'viewer', provinceCode: '32' },
    provinceAdmin: { role: 'admin', provinceCode: '32' },
    nationalViewer: { role: 'viewer' },
    otherProvinceViewer: { role: 'viewer', provinceCode: '31' },
  } as const;
  const tokens = {} as WideActors['tokens'];
  const userIds = {} as WideActors['userIds'];
  for (const [key, spec] of Object.entries(specs) as [keyof typeof specs, (typeof specs)[keyof typeof specs]][]) {
    const username = `${key.toLowerCase()}.${tag}`;
    const user = await createUser(t, nationalToken, { username, ...spec });
    userIds[key] = user.id;
    tokens[key] = await login(t, username, user.password);
  }
  return { tokens, userIds };
}
