import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config.js';

const SERVER = {
  DATABASE_URL: 'postgres://app@db:5432/tuntas',
  JWT_SECRET: 'x'.repeat(32),
  NIK_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  NIK_HMAC_KEY: 'y'.repeat(32),
};

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({ ...SERVER });
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({ mode: 'server', url: SERVER.DATABASE_URL, poolSize: 10, directUrl: SERVER.DATABASE_URL, namedStatements: true });
    expect(c.migrationsRun).toBe(true);
    expect(c.adminUsername).toBe('admin');
  });

  it('reads the pooler, direct and replica connections', () => {
    const c = loadConfig({
      ...SERVER,
      DATABASE_URL: 'postgres://app@pooler:6432/tuntas',
      DATABASE_DIRECT_URL: 'postgres://app@db:5432/tuntas',
      DATABASE_READ_URL: 'postgres://app@replica:5432/tuntas',
      DB_NAMED_STATEMENTS: 'false',
    });
    expect(c.database).toEqual({
      mode: 'server',
      url: 'postgres://app@pooler:6432/tuntas',
      poolSize: 10,
      directUrl: 'postgres://app@db:5432/tuntas',
      readUrl: 'postgres://app@replica:5432/tuntas',
      namedStatements: false,
    });
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://app@replica/tuntas' })).toThrow(/DATABASE_READ_URL needs DATABASE_URL/);
    expect(() => loadConfig({ ...SERVER, DATABASE_DIRECT_URL: 'http://db' })).toThrow(/DATABASE_DIRECT_URL must be a postgres/);
    expect(() => loadConfig({ ...SERVER, DB_NAMED_STATEMENTS: 'no' })).toThrow(/DB_NAMED_STATEMENTS must be true or false/);
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', DB_POOL_SIZE: '0' })).toThrow(
      /DATABASE_URL must be a postgres[\s\S]*JWT_SECRET is required[\s\S]*NIK_ENCRYPTION_KEY is required[\s\S]*NIK_HMAC_KEY is required[\s\S]*PORT must be an integer[\s\S]*DB_POOL_SIZE/,
    );
    expect(() => loadConfig({ ...SERVER, NIK_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/NIK_ENCRYPTION_KEY must be 32 bytes/);
    expect(() => loadConfig({ ...SERVER, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET must be at least 32/);
    expect(() => loadConfig({ ...SERVER, DB_MIGRATIONS_RUN: 'maybe' })).toThrow(/DB_MIGRATIONS_RUN must be true or false/);
    expect(() => loadConfig({ ...SERVER, ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD must be 10/);
    expect(() => loadConfig({ ...SERVER, EPPGBM_HEADERS: '{"Nama Balita": "nickname"}' })).toThrow(/EPPGBM_HEADERS must be a JSON object/);
    expect(loadConfig({ ...SERVER, EPPGBM_HEADERS: '{"Nama Balita": "name"}' }).eppgbmHeaders).toEqual({ 'Nama Balita': 'name' });
  });

  it('keeps every audit-log month unless AUDIT_LOG_RETENTION_MONTHS is set, and never less than 5 years', () => {
    expect(loadConfig(SERVER)).toMatchObject({ auditLogRetentionMonths: 0, timePartitionsMonthsAhead: 3, timePartitionsIntervalSeconds: 86_400 });
    expect(loadConfig({ ...SERVER, AUDIT_LOG_RETENTION_MONTHS: '84' }).auditLogRetentionMonths).toBe(84);
    expect(() => loadConfig({ ...SERVER, AUDIT_LOG_RETENTION_MONTHS: '12' })).toThrow(/AUDIT_LOG_RETENTION_MONTHS must be 0 \(keep everything\) or at least 60/);
    expect(() => loadConfig({ ...SERVER, TIME_PARTITIONS_MONTHS_AHEAD: '0' })).toThrow(/TIME_PARTITIONS_MONTHS_AHEAD must be an integer from 1 to 24/);
  });

  it('keeps evidence files in AKSI_FILES_DIR, or in the bucket AKSI_FILES_URL names; a bad URL stops the start naming the setting', () => {
    const dir = loadConfig({ ...SERVER });
    expect([dir.aksiFilesDir, dir.aksiFilesStore]).toEqual(['./data/aksi', undefined]);
    const s3 = loadConfig({ ...SERVER, AKSI_FILES_URL: 'https://KEY:se%2Fcret@minio.local:9000/tuntas/aksi?region=id-1' });
    expect(s3.aksiFilesStore).toMatchObject({ endpoint: 'https://minio.local:9000', bucket: 'tuntas', prefix: 'aksi', region: 'id-1', accessKeyId: 'KEY', secretAccessKey: 'se/cret' });
    let message = '';
    try {
      loadConfig({ ...SERVER, AKSI_FILES_URL: 'https://KEY:se%2Fcret@minio.local:9000', PORT: 'x' });
    } catch (e) {
      message = (e as Error).message;
    }
    // Reported with the other problems, all at once.
    expect(message).toMatch(/AKSI_FILES_URL names no bucket: the bucket is the first path segment \(got https:\/\/minio\.local:9000\/\)/);
    expect(message).toMatch(/PORT must be an integer/);
    expect(message).not.toMatch(/se%2Fcret|se\/cret|KEY:/);
    expect(() => loadConfig({ ...SERVER, AKSI_FILES_URL: 's3://tuntas/aksi' })).toThrow(/AKSI_FILES_URL must be an http:\/\/ or https:\/\/ URL/);
    expect(() => loadConfig({ ...SERVER, AKSI_FILES_URL: 'https://KEY:s@minio.local/tuntas', AKSI_FILES_DIR: '/srv/aksi' })).toThrow(
      /AKSI_FILES_DIR and AKSI_FILES_URL name two stores for evidence files: set one/,
    );
  });

  it('in embedded mode generates the secrets once and keeps them in the data directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuntas-config-'));
    try {
      const first = loadConfig({ DATA_DIR: dir });
      const second = loadConfig({ DATA_DIR: dir });
      expect(first.database).toEqual({ mode: 'embedded', dataDir: dir });
      expect(second.jwtSecret).toBe(first.jwtSecret);
      expect(second.nikEncryptionKey.equals(first.nikEncryptionKey)).toBe(true);
      expect(first.nikEncryptionKey.length).toBe(32);
      expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
      // A secret given in the environment wins over the stored one.
      expect(loadConfig({ DATA_DIR: dir, JWT_SECRET: 'z'.repeat(40) }).jwtSecret).toBe('z'.repeat(40));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
