import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Field-level protection for national identifiers (NIK, KK): AES-256-GCM for storage and a keyed
 * HMAC-SHA256 for exact matching. The field name is bound in as associated data, so a NIK
 * ciphertext cannot be passed off as a KK.
 */
export class PiiCipher {
  constructor(
    private readonly encryptionKey: Buffer,
    private readonly hmacKey: Buffer,
  ) {
    if (encryptionKey.length !== 32) throw new Error('PII encryption key must be 32 bytes');
  }

  encrypt(field: string, clear: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(field));
    const body = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(FORMAT_V1), iv, cipher.getAuthTag(), body]);
  }

  decrypt(field: string, sealed: Buffer): string {
    if (sealed[0] !== FORMAT_V1) throw new Error('unknown ciphertext format');
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv);
    decipher.setAAD(Buffer.from(field));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash for lookups and uniqueness; useless without the key. */
  hash(field: string, clear: string): Buffer {
    return createHmac('sha256', this.hmacKey).update(field).update('\0').update(clear).digest();
  }
}

/** `3216********0002`: enough to recognise a number, not enough to use it. */
export function maskIdentifier(clear: string): string {
  if (clear.length <= 8) return '*'.repeat(clear.length);
  return clear.slice(0, 4) + '*'.repeat(clear.length - 8) + clear.slice(-4);
}
