import { describe, expect, it } from '@jest/globals';
import { parseS3Url, type S3Location } from './s3-url.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const ENCODED = encodeURIComponent(SECRET); // "/" → %2F, "+" → %2B

function location(raw: string): S3Location {
  const parsed = parseS3Url(raw);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.location;
}

function problem(raw: string): string {
  const parsed = parseS3Url(raw);
  if ('location' in parsed) throw new Error(`accepted ${raw}`);
  return parsed.problem;
}

describe('AKSI_FILES_URL', () => {
  it('reads endpoint, bucket, prefix, region and the percent-encoded credentials', () => {
    expect(location(`https://AKIAEXAMPLE:${ENCODED}@minio.dinkes.local:9000/tuntas-evidence/aksi/2027?region=ap-southeast-3`)).toEqual({
      endpoint: 'https://minio.dinkes.local:9000',
      bucket: 'tuntas-evidence',
      prefix: 'aksi/2027',
      region: 'ap-southeast-3',
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: SECRET,
      display: 'https://minio.dinkes.local:9000/tuntas-evidence/aksi/2027?region=ap-southeast-3',
    });
  });

  it('has no prefix and us-east-1 unless given; trailing and doubled slashes do not count', () => {
    const l = location(`http://key:${ENCODED}@127.0.0.1:9000/bucket-1/`);
    expect([l.endpoint, l.bucket, l.prefix, l.region]).toEqual(['http://127.0.0.1:9000', 'bucket-1', '', 'us-east-1']);
    expect(location(`https://key:s@s3.example.id/b.u.c//evidence//`).prefix).toBe('evidence');
    // https on its default port: no port in the endpoint.
    expect(location(`https://key:s@s3.example.id:443/bucket`).endpoint).toBe('https://s3.example.id');
  });

  it('refuses a URL without a bucket, naming the setting and never the secret', () => {
    for (const raw of [`https://key:${ENCODED}@s3.example.id`, `https://key:${ENCODED}@s3.example.id/`, `https://key:${ENCODED}@s3.example.id/?region=x`]) {
      const p = problem(raw);
      expect(p).toMatch(/^AKSI_FILES_URL names no bucket: the bucket is the first path segment \(got https:\/\/s3\.example\.id\/.*\); the form is http\(s\):\/\/ACCESS_KEY_ID:SECRET@host/);
      expect(p).not.toContain(ENCODED);
      expect(p).not.toContain(SECRET);
      expect(p).not.toContain('key:');
    }
  });

  it('refuses other schemes, missing credentials, bad buckets, prefixes and parameters', () => {
    expect(problem('s3://bucket/prefix')).toMatch(/AKSI_FILES_URL must be an http:\/\/ or https:\/\/ URL .*\(got s3:\/\/…\)/);
    expect(problem('minio:9000/bucket')).toMatch(/must be an http:\/\/ or https:\/\/ URL/);
    expect(problem('not a url')).toMatch(/AKSI_FILES_URL is not a URL/);
    // An unencoded "/" in the secret ends the host part: not a URL with a port.
    const slash = problem(`https://key:${SECRET}@s3.example.id/bucket`);
    expect(slash).toMatch(/is not a URL \(a "\/" in the secret must be written %2F\)/);
    expect(slash).not.toContain(SECRET);
    expect(problem('https://s3.example.id/bucket')).toMatch(/must carry the access key id and the secret before the host \(got https:\/\/s3\.example\.id\/bucket\)/);
    expect(problem('https://key@s3.example.id/bucket')).toMatch(/must carry the access key id and the secret/);
    expect(problem('https://k:s@s3.example.id/Bucket_Name')).toMatch(/names a bucket S3 does not allow: "Bucket_Name"/);
    expect(problem('https://k:s@s3.example.id/ab')).toMatch(/names a bucket S3 does not allow/);
    expect(problem('https://k:s@s3.example.id/bucket/a%20b')).toMatch(/prefix segment other than letters, digits/);
    expect(problem('https://k:s@s3.example.id/bucket?style=virtual')).toMatch(/takes only \?region= as a parameter \(got "style"\)/);
    expect(problem('https://k:s@s3.example.id/bucket?region=AP_SOUTH')).toMatch(/has a region other than a-z, 0-9 and "-"/);
    expect(problem('https://k:s@s3.example.id/bucket#x')).toMatch(/must not have a #fragment/);
    expect(problem('https://k:%E0%A4%A@s3.example.id/bucket')).toMatch(/badly percent-encoded access key or secret \(https:\/\/s3\.example\.id\/bucket\)/);
  });
});
