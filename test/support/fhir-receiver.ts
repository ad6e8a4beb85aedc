import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundleProblems } from '../../src/modules/interop/fhir-validation.js';

export type Cue = 'ok' | '500' | '401' | '400' | 'drop';

/**
 * A small FHIR receiver on 127.0.0.1 for the export tests: an OAuth2 client-credentials token
 * endpoint, and a transaction endpoint that checks the bearer token, validates the bundle
 * against base R4 and the export's rules, and keeps what it creates by identifier, honouring
 * ifNoneExist as a FHIR server does. On cue it answers 500, 401 or 400, or stores the bundle and
 * then drops the connection before answering (what a crash between send and mark looks like).
 */
export class FhirReceiver {
  readonly clientId = 'tuntas-3216';
  readonly clientSecret = `secret-${randomBytes(8).toString('hex')}`;
  private server!: Server;
  private tokens = new Set<string>();
  /** Cues for the next transactions, first first; an empty queue answers normally. */
  private cues: Cue[] = [];
  /** Resources created, by `ResourceType|system|value` of their first identifier. */
  readonly created = new Map<string, number>();
  /** How often each reading's bundle arrived, by its Encounter identifier value. */
  readonly received = new Map<string, number>();
  readonly stats = { tokenRequests: 0, transactions: 0, unauthorised: 0, invalid: 0, replays: 0, dropped: 0 };
  readonly problems: string[] = [];
  /** Called after a bundle is stored and before it is answered (a fault script kills the service here). */
  afterStore: ((n: number) => void) | null = null;
  base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  get fhirUrl(): string {
    return `${this.base}/fhir`;
  }

  get tokenUrl(): string {
    return `${this.base}/oauth2/v1/accesstoken`;
  }

  cue(cue: Cue, times = 1): void {
    for (let i = 0; i < times; i++) this.cues.push(cue);
  }

  clearCues(): void {
    this.cues = [];
  }

  /** Every token issued so far stops working, as at their expiry. */
  expireTokens(): void {
    this.tokens.clear();
  }

  /** How many resources of a type were created, each identifier counted once. */
  count(type: string): number {
    return [...this.created.keys()].filter((k) => k.startsWith(`${type}|`)).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await read(req);
    if (req.method === 'POST' && req.url === '/oauth2/v1/accesstoken') {
      this.stats.tokenRequests += 1;
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
        return json(res, 401, { error: 'invalid_client' });
      }
      const token = randomBytes(24).toString('base64url');
      this.tokens.add(token);
      // As SATUSEHAT does: expires_in as a string.
      return json(res, 200, { access_token: token, token_type: 'BearerToken', expires_in: '3599' });
    }
    if (req.method !== 'POST' || req.url !== '/fhir') return json(res, 404, outcome('not-found', 'no such endpoint'));
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!auth || !this.tokens.has(auth[1])) {
      this.stats.unauthorised += 1;
      return json(res, 401, outcome('login', 'token expired or unknown'));
    }
    const cue = this.cues.shift() ?? 'ok';
    if (cue === '500') return json(res, 500, outcome('exception', 'service unavailable'));
    if (cue === '401') {
      this.tokens.delete(auth[1]);
      this.stats.unauthorised += 1;
      return json(res, 401, outcome('login', 'token expired'));
    }
    if (cue === '400') return json(res, 400, outcome('processing', 'patient not found in the MPI'));
    let bundle: Bundle;
    try {
      bundle = JSON.parse(body) as Bundle;
    } catch {
      return json(res, 400, outcome('structure', 'not JSON'));
    }
    if (req.headers['content-type'] !== 'application/fhir+json' || bundle.type !== 'transaction') return json(res, 400, outcome('structure', 'not a transaction'));
    const problems = bundleProblems(bundle);
    if (problems.length) {
      this.stats.invalid += 1;
      this.problems.push(...problems.map((p) => `${p.path}: ${p.reason}`));
      return json(res, 400, outcome('invalid', problems[0].reason));
    }
    this.stats.transactions += 1;
    for (const e of bundle.entry ?? []) {
      const r = e.resource as Resource & { identifier?: { value?: string }[] };
      if (r.resourceType === 'Encounter') this.received.set(r.identifier?.[0]?.value ?? '', (this.received.get(r.identifier?.[0]?.value ?? '') ?? 0) + 1);
    }
    const response = (bundle.entry ?? []).map((e) => this.store(e));
    this.afterStore?.(this.stats.transactions);
    if (cue === 'drop') {
      this.stats.dropped += 1;
      res.socket?.destroy();
      return;
    }
    return json(res, 200, { resourceType: 'Bundle', type: 'transaction-response', entry: response });
  }

  private store(e: BundleEntry): BundleEntry {
    const r = e.resource as Resource & { identifier?: { system?: string; value?: string }[] };
    const id = r.identifier?.[0];
    const key = `${r.resourceType}|${id?.system}|${id?.value}`;
    const ifNoneExist = e.request?.method === 'POST' && e.request.ifNoneExist;
    const exists = this.created.has(key);
    if (exists && ifNoneExist) {
      this.stats.replays += 1;
      return { response: { status: '200 OK' } };
    }
    this.created.set(key, (this.created.get(key) ?? 0) + 1);
    return { response: { status: exists ? '200 OK' : '201 Created' } };
  }
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/fhir+json' });
  res.end(JSON.stringify(body));
}

const outcome = (code: string, text: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] });

/**
 * An e-PPGBM export as a posyandu's Excel saves it: `;`-separated, decimal commas, a BOM, CRLF,
 * dates as DD/MM/YYYY; `children` girls of Desa 3216062005 (Kab. Bekasi), each weighed and measured
 * standing once a month for `months` months up to October 2026. Every child has a NIK.
 */
export function posyanduCsv(children: number, months: number, firstSerial = 1): { csv: Buffer; niks: string[] } {
  const names = ['Aisyah', 'Citra', 'Gita', 'Hana', 'Kirana', 'Lestari', 'Putri', 'Sari', 'Wulan', 'Nabila'];
  const families = ['Pratama', 'Wijaya', 'Saputra', 'Hidayat', 'Nugroho', 'Rahmawati', 'Kurniawan', 'Santoso', 'Permata', 'Siregar'];
  const lines = ['NIK Anak;Nama Anak;Tanggal Lahir;JK;Nama Ortu;Alamat;Desa;Posyandu;Tanggal Ukur;Berat;Tinggi;Cara Ukur'];
  const niks: string[] = [];
  for (let c = 0; c < children; c++) {
    const day = 1 + (c % 28);
    const birth = `2024-03-${String(day).padStart(2, '0')}`;
    const nik = `321606${String(day + 40).padStart(2, '0')}0324${String(firstSerial + c).padStart(4, '0')}`;
    niks.push(nik);
    const name = `${names[c % names.length]} ${families[Math.floor(c / names.length) % families.length]} ${c + firstSerial}`;
    for (let m = 0; m < months; m++) {
      const month = 10 - months + 1 + m;
      const height = 84 + (c % 7) * 0.8 + m * 0.6;
      const weight = 10.8 + (c % 5) * 0.3 + m * 0.15;
      lines.push(
        [nik, name, `${birth.slice(8)}/${birth.slice(5, 7)}/${birth.slice(0, 4)}`, 'P', `Ibu ${families[c % families.length]} ${c + firstSerial}`,
          `Kp. Setia RT 0${1 + (c % 9)}/RW 05`, '3216062005', 'Posyandu Melati 3', `${String(5 + (c % 20)).padStart(2, '0')}/${String(month).padStart(2, '0')}/2026`,
          weight.toFixed(1).replace('.', ','), height.toFixed(1).replace('.', ','), 'Berdiri'].join(';'),
      );
    }
  }
  return { csv: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`), niks };
}
