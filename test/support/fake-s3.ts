import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

/**
 * A small S3-compatible server for tests, on 127.0.0.1 (an ephemeral port) and a temp directory:
 * PUT, HEAD and GET of objects in one bucket, path-style. Unlike s3rver (which accepts any
 * Signature V4 unchecked, and any body whatever its x-amz-content-sha256), it does what a real
 * store does with what the client sends:
 *
 * - checks the AWS Signature V4 of every request (its own implementation, from AWS's published
 *   algorithm, not the client's library): 403 InvalidAccessKeyId, SignatureDoesNotMatch,
 *   RequestTimeTooSkewed, AuthorizationHeaderMalformed;
 * - hashes each uploaded body and refuses it unless it matches the signed x-amz-content-sha256
 *   (400 XAmzContentSHA256Mismatch) and its Content-Length (411 MissingContentLength, 400
 *   IncompleteBody); an object appears whole or not at all.
 */
export interface FakeS3 {
  /** `http://127.0.0.1:port` */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** AKSI_FILES_URL for this store: credentials percent-encoded, then bucket, prefix and region. */
  filesUrl(prefix?: string, credentials?: { accessKeyId: string; secretAccessKey: string }): string;
  /** Every request answered, in order. */
  requests: FakeS3Request[];
  /** The bucket's objects by key. */
  objects(): Map<string, Buffer>;
  /** Deletes an object behind the service's back (a bucket restored without it). */
  remove(key: string): void;
  /** Stops listening and cuts every open connection: the store is down. */
  stop(): Promise<void>;
  /** stop(), and its directory removed. */
  destroy(): Promise<void>;
}

export interface FakeS3Request {
  method: string;
  key: string;
  status: number;
  /** The x-amz-content-sha256 the client signed. */
  contentSha256: string | undefined;
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
const MAX_SKEW_MS = 15 * 60_000;

class S3Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export async function startFakeS3(opts: { bucket?: string; region?: string; accessKeyId?: string; secretAccessKey?: string } = {}): Promise<FakeS3> {
  const bucket = opts.bucket ?? 'tuntas-evidence';
  const region = opts.region ?? 'ap-southeast-3';
  const accessKeyId = opts.accessKeyId ?? 'TUNTASTESTKEY';
  // "/" and "+" as real AWS secrets have them: the URL must carry them percent-encoded.
  const secretAccessKey = opts.secretAccessKey ?? `fake/s3+secret-${randomUUID()}`;
  const dir = mkdtempSync(join(tmpdir(), 'fake-s3-'));
  const objectsDir = join(dir, 'objects');
  const incoming = join(dir, 'incoming');
  mkdirSync(objectsDir);
  mkdirSync(incoming);
  const requests: FakeS3Request[] = [];

  const server = createServer((req, res) => {
    const [rawPath, rawQuery = ''] = (req.url ?? '/').split('?', 2);
    const segments = rawPath.split('/').slice(1).map((s) => decodeURIComponent(s));
    const key = segments.slice(1).join('/');
    const record = (status: number) =>
      requests.push({ method: req.method ?? '', key, status, contentSha256: header(req, 'x-amz-content-sha256') });
    handle(req, res, rawPath, rawQuery, segments, key)
      .then((status) => record(status))
      .catch((e: unknown) => {
        const f = e instanceof S3Failure ? e : new S3Failure(500, 'InternalError', String(e));
        record(f.status);
        if (res.headersSent) return void res.destroy();
        const body =
          req.method === 'HEAD'
            ? ''
            : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${f.code}</Code><Message>${xml(f.message)}</Message>${Object.entries(f.extra)
                .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
                .join('')}<Resource>${xml(rawPath)}</Resource></Error>`;
        // The rest of a refused upload is read and dropped, so the client gets the answer.
        if (!req.complete) req.resume();
        res.writeHead(f.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, rawPath: string, rawQuery: string, segments: string[], key: string): Promise<number> {
    authenticate(req, rawPath, rawQuery);
    if (segments[0] !== bucket) throw new S3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (!key || segments.slice(1).some((s) => s === '' || s === '.' || s === '..')) throw new S3Failure(501, 'NotImplemented', 'only object requests are served here');
    const path = join(objectsDir, ...segments.slice(1));
    if (req.method === 'PUT') return put(req, res, path);
    if (req.method === 'HEAD' || req.method === 'GET') {
      if (!existsSync(path)) throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.');
      const size = statSync(path).size;
      const etag = `"${createHash('md5').update(readFileSync(path)).digest('hex')}"`;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size, etag });
      if (req.method === 'HEAD') res.end();
      else createReadStream(path).pipe(res);
      return 200;
    }
    throw new S3Failure(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  async function put(req: IncomingMessage, res: ServerResponse, path: string): Promise<number> {
    const declared = header(req, 'x-amz-content-sha256')!;
    if (declared.startsWith('STREAMING-')) throw new S3Failure(501, 'NotImplemented', 'aws-chunked uploads are not served here');
    if (declared !== 'UNSIGNED-PAYLOAD' && !/^[0-9a-f]{64}$/.test(declared)) {
      throw new S3Failure(400, 'InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-… or a sha256 in hex');
    }
    const lengthHeader = header(req, 'content-length');
    if (lengthHeader === undefined) throw new S3Failure(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
    const partial = join(incoming, randomUUID());
    const hash = createHash('sha256');
    const md5 = createHash('md5');
    let received = 0;
    await new Promise<void>((ok, fail) => {
      const out = createWriteStream(partial);
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        hash.update(chunk);
        md5.update(chunk);
      });
      req.on('error', fail);
      out.on('error', fail);
      out.on('finish', () => ok());
      req.pipe(out);
    });
    try {
      if (received !== Number(lengthHeader)) throw new S3Failure(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
      const actual = hash.digest('hex');
      if (declared !== 'UNSIGNED-PAYLOAD' && actual !== declared) {
        throw new S3Failure(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
          ClientComputedContentSHA256: declared,
          S3ComputedContentSHA256: actual,
        });
      }
      mkdirSync(dirname(path), { recursive: true });
      renameSync(partial, path);
    } finally {
      rmSync(partial, { force: true });
    }
    res.writeHead(200, { etag: `"${md5.digest('hex')}"`, 'content-length': 0 });
    res.end();
    return 200;
  }

  function authenticate(req: IncomingMessage, rawPath: string, rawQuery: string): void {
    const auth = header(req, 'authorization');
    if (!auth) throw new S3Failure(403, 'AccessDenied', 'Access Denied');
    const m = /^AWS4-HMAC-SHA256 Credential=([^/,]+)\/(\d{8})\/([^/,]+)\/([^/,]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) throw new S3Failure(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
    const [, keyId, date, scopeRegion, service, signedHeaders, signature] = m;
    if (keyId !== accessKeyId) throw new S3Failure(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    if (scopeRegion !== region || service !== 's3') {
      throw new S3Failure(400, 'AuthorizationHeaderMalformed', `the region '${scopeRegion}' is wrong; expecting '${region}'`);
    }
    const amzDate = header(req, 'x-amz-date') ?? '';
    const at = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!at || amzDate.slice(0, 8) !== date) throw new S3Failure(403, 'AccessDenied', 'x-amz-date is missing or does not match the credential scope');
    const when = Date.UTC(+at[1], +at[2] - 1, +at[3], +at[4], +at[5], +at[6]);
    if (Math.abs(Date.now() - when) > MAX_SKEW_MS) throw new S3Failure(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    const names = signedHeaders.split(';');
    for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
      if (!names.includes(required)) throw new S3Failure(403, 'AccessDenied', `${required} must be signed`);
    }
    const payload = header(req, 'x-amz-content-sha256')!;
    const canonicalRequest = [
      req.method,
      rawPath
        .split('/')
        .map((s) => rfc3986(decodeURIComponent(s)))
        .join('/'),
      rawQuery
        .split('&')
        .filter(Boolean)
        .map((p) => p.split('=', 2).map((x) => rfc3986(decodeURIComponent(x.replace(/\+/g, ' ')))))
        .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : (av ?? '') < (bv ?? '') ? -1 : 1))
        .map(([k, v]) => `${k}=${v ?? ''}`)
        .join('&'),
      names.map((n) => `${n}:${(header(req, n) ?? '').trim().replace(/\s+/g, ' ')}\n`).join(''),
      signedHeaders,
      payload,
    ].join('\n');
    const scope = `${date}/${scopeRegion}/s3/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
    let k: Buffer = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
    for (const part of [scopeRegion, 's3', 'aws4_request']) k = createHmac('sha256', k).update(part).digest();
    const expected = createHmac('sha256', k).update(stringToSign).digest();
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
      throw new S3Failure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
        AWSAccessKeyId: keyId,
        StringToSign: stringToSign,
        CanonicalRequest: canonicalRequest,
      });
    }
    if (req.method !== 'PUT' && payload !== 'UNSIGNED-PAYLOAD' && payload !== EMPTY_SHA256) {
      throw new S3Failure(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
  }

  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const closed = new Promise<void>((ok) => server.close(() => ok()));
    server.closeAllConnections();
    await closed;
  };
  return {
    endpoint,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    filesUrl: (prefix = '', credentials = { accessKeyId, secretAccessKey }) =>
      `http://${encodeURIComponent(credentials.accessKeyId)}:${encodeURIComponent(credentials.secretAccessKey)}@127.0.0.1:${port}/${bucket}${prefix ? `/${prefix}` : ''}?region=${region}`,
    requests,
    objects: () => new Map(filesUnder(objectsDir).map((f) => [relative(objectsDir, f).split(sep).join('/'), readFileSync(f)])),
    remove: (key) => rmSync(join(objectsDir, ...key.split('/'))),
    stop,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** URI-encodes as Signature V4 does: everything but A-Z a-z 0-9 - . _ ~. */
function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}
