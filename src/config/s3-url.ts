/**
 * An S3-compatible object store named by one URL (AKSI_FILES_URL), like DATABASE_URL and SMTP_URL:
 *
 *   http(s)://ACCESS_KEY_ID:SECRET_ACCESS_KEY@host[:port]/bucket[/prefix…][?region=REGION]
 *
 * The bucket is the first path segment (path-style addressing, which MinIO, Ceph RGW, Garage,
 * SeaweedFS and the S3 API of most providers answer); the rest is a key prefix. The region
 * defaults to us-east-1, which most S3-compatible stores take whatever their own is.
 */
export interface S3Location {
  /** The endpoint's origin, without credentials: `https://host:port`. */
  readonly endpoint: string;
  readonly bucket: string;
  /** Key prefix without leading or trailing slash; '' for none. */
  readonly prefix: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The URL without its credentials: for logs and messages. */
  readonly display: string;
}

export const DEFAULT_S3_REGION = 'us-east-1';

const FORM = 'http(s)://ACCESS_KEY_ID:SECRET@host[:port]/bucket[/prefix][?region=…]';

/** S3's bucket naming rules: 3-63 characters of a-z, 0-9, "." and "-", starting and ending with a letter or digit. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX_SEGMENT = /^[A-Za-z0-9._-]+$/;
const REGION = /^[a-z0-9-]{1,64}$/;

/**
 * Parses AKSI_FILES_URL. A problem is returned as a sentence naming `name`; it never repeats the
 * credentials (at most the URL without them).
 */
export function parseS3Url(raw: string, name = 'AKSI_FILES_URL'): { location: S3Location } | { problem: string } {
  const problem = (why: string) => ({ problem: `${name} ${why}; the form is ${FORM}` });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return problem('is not a URL (a "/" in the secret must be written %2F)');
  }
  const shown = `${url.protocol}//${url.host}${url.pathname}${url.search}`;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return problem(`must be an http:// or https:// URL of an S3-compatible endpoint (got ${url.protocol}//…)`);
  }
  if (!url.hostname) return problem('names no host');
  if (url.hash) return problem(`must not have a #fragment (got ${shown})`);
  let accessKeyId: string;
  let secretAccessKey: string;
  try {
    accessKeyId = decodeURIComponent(url.username);
    secretAccessKey = decodeURIComponent(url.password);
  } catch {
    return problem(`has a badly percent-encoded access key or secret (${shown})`);
  }
  if (!accessKeyId || !secretAccessKey) {
    return problem(`must carry the access key id and the secret before the host (got ${shown}); percent-encode "/", "@", "?", "#" and "%" in them`);
  }
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const bucket = segments[0];
  if (bucket === undefined) return problem(`names no bucket: the bucket is the first path segment (got ${shown})`);
  if (!BUCKET.test(bucket)) return problem(`names a bucket S3 does not allow: "${bucket}" (3-63 characters of a-z, 0-9, "." and "-")`);
  const badSegment = segments.slice(1).find((s) => !PREFIX_SEGMENT.test(s) || s === '.' || s === '..');
  if (badSegment !== undefined) return problem(`has a prefix segment other than letters, digits, ".", "_" and "-": "${badSegment}"`);
  let region = DEFAULT_S3_REGION;
  for (const [key, value] of url.searchParams) {
    if (key !== 'region') return problem(`takes only ?region= as a parameter (got "${key}")`);
    if (!REGION.test(value)) return problem(`has a region other than a-z, 0-9 and "-" (got "${value}")`);
    region = value;
  }
  const prefix = segments.slice(1).join('/');
  const endpoint = url.origin;
  return {
    location: {
      endpoint,
      bucket,
      prefix,
      region,
      accessKeyId,
      secretAccessKey,
      display: `${endpoint}/${bucket}${prefix ? `/${prefix}` : ''}?region=${region}`,
    },
  };
}
