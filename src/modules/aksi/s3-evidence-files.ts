import { Logger } from '@nestjs/common';
import { AwsClient } from 'aws4fetch';
import { createReadStream, type ReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotFound, ServiceUnavailable } from '../../common/errors/domain-error.js';
import type { S3Location } from '../../config/s3-url.js';
import { EvidenceFiles, keyOf, sha256Of, type StoredFile } from './evidence-files.js';

/** Attempts per request: a refused connection, a cut one, or a 5xx / 429 from the store is tried again. */
const ATTEMPTS = 3;
const BACKOFF_MS = [200, 800];
/** How long the store may take to answer a HEAD or to start a GET. */
const ANSWER_TIMEOUT_MS = 30_000;
/** An upload may take this long plus a second per 256 KB (a 25 MB file: about two minutes). */
const UPLOAD_BYTES_PER_MS = 256;

class StoreFailure extends Error {}

/**
 * Evidence file bodies in an S3-compatible bucket (AKSI_FILES_URL), as `<prefix>/ab/<sha256>.bin`.
 * aws4fetch signs each request (AWS Signature V4) and Node's fetch sends it, path-style.
 *
 * An upload sends the body's sha256 as `x-amz-content-sha256`, inside the signature: the store
 * hashes what it receives and refuses the object unless it matches (S3's
 * XAmzContentSHA256Mismatch), so a body damaged on the way is never kept under a name that is not
 * its hash. The `x-amz-checksum-*` headers are not sent: several S3-compatible stores refuse them.
 *
 * A store that cannot be reached, or refuses (its credentials, a missing bucket), is a
 * ServiceUnavailable (503) saying why in plain words; the secret and the signature are never in
 * a message or a log line.
 */
export class S3EvidenceFiles extends EvidenceFiles {
  readonly where: string;
  private readonly client: AwsClient;
  private readonly logger = new Logger('EvidenceFiles');

  constructor(private readonly location: S3Location) {
    super();
    this.where = `S3-compatible bucket ${location.display}`;
    this.client = new AwsClient({
      accessKeyId: location.accessKeyId,
      secretAccessKey: location.secretAccessKey,
      service: 's3',
      region: location.region,
      retries: 0, // retried here, with a fresh body stream each time
    });
  }

  /** The object's key in the bucket: `<prefix>/ab/<sha256>.bin`. */
  keyOf(sha256: string): string {
    return this.location.prefix ? `${this.location.prefix}/${keyOf(sha256)}` : keyOf(sha256);
  }

  async has(sha256: string): Promise<boolean> {
    const res = await this.send('HEAD', sha256);
    if (res.status === 404) return false;
    if (res.ok) return true;
    throw await this.refused('HEAD', res);
  }

  async open(sha256: string): Promise<Readable> {
    const res = await this.send('GET', sha256);
    if (res.status === 404) {
      await res.body?.cancel();
      throw new NotFound('version file');
    }
    if (!res.ok || !res.body) throw await this.refused('GET', res);
    return Readable.fromWeb(res.body as unknown as NodeWebStream<Uint8Array>);
  }

  async keep(tempPath: string): Promise<StoredFile> {
    try {
      const sha256 = await sha256Of(tempPath);
      const { size } = await stat(tempPath);
      // Already there (the same body uploaded before): nothing to send. An object of another
      // size under this name cannot be this body; it is replaced.
      const head = await this.send('HEAD', sha256);
      if (head.ok && Number(head.headers.get('content-length')) === size) return { sha256, size };
      if (!head.ok && head.status !== 404) throw await this.refused('HEAD', head);
      const put = await this.send('PUT', sha256, { path: tempPath, size });
      if (!put.ok) throw await this.refused('PUT', put);
      await put.body?.cancel();
      return { sha256, size };
    } finally {
      await rm(tempPath, { force: true });
    }
  }

  /**
   * One signed request, tried up to ATTEMPTS times while the store cannot be reached or answers
   * 5xx / 429. A failure to reach it is a ServiceUnavailable; an answer is returned as it is.
   */
  private async send(method: 'HEAD' | 'GET' | 'PUT', sha256: string, upload?: { path: string; size: number }): Promise<Response> {
    const url = `${this.location.endpoint}/${this.location.bucket}/${this.keyOf(sha256)}`;
    const timeoutMs = ANSWER_TIMEOUT_MS + (upload ? Math.ceil(upload.size / UPLOAD_BYTES_PER_MS) : 0);
    let failure = 'no answer';
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) await sleep(BACKOFF_MS[attempt - 2] ?? BACKOFF_MS[BACKOFF_MS.length - 1]);
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new StoreFailure(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      let file: ReadStream | undefined;
      try {
        const headers: Record<string, string> = {};
        let body: RequestInit['body'];
        if (upload) {
          headers['content-type'] = 'application/octet-stream';
          headers['content-length'] = String(upload.size);
          // The signed payload hash: the store checks the body against it.
          headers['x-amz-content-sha256'] = sha256;
          if (upload.size === 0) body = new Uint8Array(0);
          else {
            file = createReadStream(upload.path);
            body = Readable.toWeb(file) as unknown as RequestInit['body'];
          }
        }
        const signed = await this.client.sign(url, { method, headers, body, signal: abort.signal, ...(body ? { duplex: 'half' } : {}) } as RequestInit);
        const res = await fetch(signed);
        if ((res.status >= 500 || res.status === 429) && attempt < ATTEMPTS) {
          failure = `it answered ${res.status}`;
          await res.body?.cancel();
          continue;
        }
        return res;
      } catch (e) {
        failure = networkReason(e, abort.signal);
        if (attempt === ATTEMPTS) break;
      } finally {
        clearTimeout(timer);
        file?.destroy();
      }
    }
    this.logger.warn({ store: this.location.display, method, reason: failure }, 'evidence file store unreachable');
    throw unavailable(failure);
  }

  /** An answer other than the one expected: 503 with the status and S3's error code (never its message, which may echo the request). */
  private async refused(method: string, res: Response): Promise<ServiceUnavailable> {
    const text = method === 'HEAD' ? '' : await res.text().catch(() => '');
    const code = /<Code>([A-Za-z0-9.]{1,64})<\/Code>/.exec(text)?.[1];
    const answer = `${res.status}${code ? ` ${code}` : ''} to ${method}`;
    const reason =
      res.status === 403 || res.status === 401
        ? `it refused the access key or secret: ${answer}`
        : code === 'NoSuchBucket'
          ? `bucket ${this.location.bucket} does not exist: ${answer}`
          : `it answered ${answer}`;
    this.logger.warn({ store: this.location.display, method, status: res.status, code }, 'evidence file store refused a request');
    return unavailable(reason);
  }
}

function unavailable(reason: string): ServiceUnavailable {
  return new ServiceUnavailable(`the evidence file store is unavailable (${reason}), try again`);
}

/** Why a request did not get an answer, in plain words. */
function networkReason(e: unknown, signal: AbortSignal): string {
  if (signal.aborted && signal.reason instanceof StoreFailure) return signal.reason.message;
  const cause = (e as { cause?: { code?: unknown } })?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : '';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its host name does not resolve';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return 'the connection was cut';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'no connection within the time limit';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return 'its TLS certificate is not trusted';
  return code ? `network error ${code}` : 'network error';
}
