import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { maskIdentifier, PiiCipher } from './pii-cipher.js';

describe(PiiCipher.name, () => {
  const cipher = new PiiCipher(randomBytes(32), randomBytes(32));

  it('round-trips, with a fresh IV each time', () => {
    const a = cipher.encrypt('nik', '3216064101200002');
    const b = cipher.encrypt('nik', '3216064101200002');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('3216064101200002'))).toBe(false);
    expect(cipher.decrypt('nik', a)).toBe('3216064101200002');
  });

  it('refuses a ciphertext moved to another field or tampered with', () => {
    const sealed = cipher.encrypt('nik', '3216064101200002');
    expect(() => cipher.decrypt('kk', sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => cipher.decrypt('nik', tampered)).toThrow();
  });

  it('hashes deterministically per field and key', () => {
    expect(cipher.hash('nik', '1').equals(cipher.hash('nik', '1'))).toBe(true);
    expect(cipher.hash('nik', '1').equals(cipher.hash('kk', '1'))).toBe(false);
    const other = new PiiCipher(randomBytes(32), randomBytes(32));
    expect(other.hash('nik', '1').equals(cipher.hash('nik', '1'))).toBe(false);
  });

  it('masks all but the first and last four digits', () => {
    expect(maskIdentifier('3216064101200002')).toBe('3216********0002');
  });
});
