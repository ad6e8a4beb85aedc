import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseS3Url, type S3Location } from './s3-url.js';

export const APP_CONFIG = Symbol('APP_CONFIG');

export interface AppConfig {
  readonly port: number;
  readonly database:
    | {
        readonly mode: 'server';
        readonly url: string;
        readonly poolSize: number;
        /**
         * A connection straight to the primary, not through a transaction-mode pooler: LISTEN and
         * the migration lock are session state. The same as `url` unless DATABASE_DIRECT_URL is set.
         */
        readonly directUrl: string;
        /** A read replica for reports, dashboards and large lists (DATABASE_READ_URL); none by default. */
        readonly readUrl?: string;
        /** Named prepared statements; off behind a transaction-mode pooler that cannot keep them. */
        readonly namedStatements: boolean;
      }
    | { readonly mode: 'embedded'; readonly dataDir: string };
  readonly migrationsRun: boolean;
  readonly jwtSecret: string;
  readonly jwtTtlSeconds: number;
  readonly authCacheSeconds: number;
  readonly nikEncryptionKey: Buffer;
  readonly nikHmacKey: Buffer;
  readonly adminUsername: string;
  readonly adminPassword: string | undefined;
  readonly bodyLimitBytes: number;
  /**
   * Login attempts per address and username, and failed logins per address across usernames
   * (password spraying), in one window.
   */
  readonly loginRateLimit: { readonly limit: number; readonly windowSeconds: number; readonly addressFailures: number };
  /** Hosts a webhook may name with plain http or on a private address (WEBHOOK_ALLOWED_HOSTS). */
  readonly webhookAllowedHosts: readonly string[];
  readonly logLevel: string;
  readonly trustProxy: boolean;
  /** Extra e-PPGBM header names → Tuntas fields, for a district whose export names a column its own way. */
  readonly eppgbmHeaders: Readonly<Record<string, string>>;
  /** Uploads larger than this are refused with 413 while they stream in. */
  readonly importMaxBytes: number;
  /** Imports run at once per instance; the rest wait in `queued`. */
  readonly importConcurrency: number;
  /** Rejection reasons kept per import; the rest are only counted. */
  readonly importMaxRejections: number;
  /** How often the escalation sweep runs; 0 turns it off (tests drive it by hand). */
  readonly escalationSweepIntervalSeconds: number;
  /** How often the outbox is delivered; 0 turns it off. */
  readonly notificationDeliveryIntervalSeconds: number;
  /** Attempts before a notification is dead-lettered. */
  readonly notificationMaxAttempts: number;
  /** National public holidays and cuti bersama (YYYY-MM-DD), skipped when counting working days. */
  readonly publicHolidays: readonly string[];
  /** smtp:// or smtps:// URL of the mail relay; without it no e-mail is sent. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** How often finished records past retention are anonymised; 0 turns it off. */
  readonly retentionSweepIntervalSeconds: number;
  /** How often the monthly partitions ahead are made (and expired audit-log months dropped); 0 turns it off. */
  readonly timePartitionsIntervalSeconds: number;
  /** How many months ahead of the current one have their partitions made. */
  readonly timePartitionsMonthsAhead: number;
  /**
   * Whole audit-log months older than this are dropped; 0 (the default) keeps them all. The law
   * asks for at least 5 years of access logs, so anything from 1 to 59 is refused.
   */
  readonly auditLogRetentionMonths: number;
  /** Requests per client address per minute; 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  /** How often the FHIR export outbox is sent; 0 turns it off. */
  readonly fhirExportIntervalSeconds: number;
  /** Attempts before a FHIR export is dead-lettered. */
  readonly fhirExportMaxAttempts: number;
  /** How long a sender holds the exports it took: after a crash they are sent again once this is over. */
  readonly fhirExportLeaseSeconds: number;
  /** The first retry's delay; each further one doubles it, up to 6 hours. */
  readonly fhirExportBackoffSeconds: number;
  /**
   * Hosts a FHIR receiver or token endpoint may be on although they are not https or resolve to
   * a private address (a test receiver on 127.0.0.1, a provincial HIE inside the network).
   */
  readonly fhirAllowedHosts: readonly string[];
  /** Record reads of personal data in the audit trail. Off only to measure what it costs (bench/audit). */
  readonly auditReads: boolean;
  /** How often due bulan timbang months are frozen and revisions recorded; 0 turns it off (reports still do it for what they read). */
  readonly prevalenceFreezeIntervalSeconds: number;
  /** Where 8 Aksi evidence files are kept, each named by its sha256 (AKSI_FILES_DIR); never in a table. */
  readonly aksiFilesDir: string;
  /**
   * An S3-compatible bucket (and prefix) that keeps them instead (AKSI_FILES_URL); the directory
   * is then not used. Holds the store's secret: never log it (log `display`).
   */
  readonly aksiFilesStore: S3Location | undefined;
  /** Evidence files larger than this are refused with 413 while they stream in. */
  readonly aksiMaxFileBytes: number;
}

export class ConfigError extends Error {}

/** The fields an e-PPGBM column can fill (see src/modules/imports/eppgbm-row.ts). */
const EPPGBM_FIELDS = [
  'nik', 'familyCardNumber', 'name', 'birthDate', 'sex', 'motherName', 'address', 'villageCode', 'villageName', 'districtName',
  'regencyName', 'provinceName', 'puskesmas', 'posyandu', 'measuredAt', 'weightKg', 'heightCm', 'method', 'headCm', 'muacCm',
];

/** In-memory embedded database: nothing is written to disk (tests). */
export const MEMORY_DATA_DIR = 'memory://';

interface Secrets {
  JWT_SECRET: string;
  NIK_ENCRYPTION_KEY: string;
  NIK_HMAC_KEY: string;
}

/**
 * Reads and validates every setting once. Each problem names its variable; all problems are
 * reported together so a deployment is fixed in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, dflt: number, min: number, max: number): number => {
    const raw = str(name);
    if (raw === undefined) return dflt;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return dflt;
    }
    return Number(raw);
  };
  const bool = (name: string, dflt: boolean): boolean => {
    const raw = str(name);
    if (raw === undefined) return dflt;
    if (!['true', 'false', '1', '0'].includes(raw)) {
      problems.push(`${name} must be true or false (got "${raw}")`);
      return dflt;
    }
    return raw === 'true' || raw === '1';
  };

  const databaseUrl = str('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/[^\s]+$/.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  for (const name of ['DATABASE_DIRECT_URL', 'DATABASE_READ_URL']) {
    const v = str(name);
    if (v !== undefined && databaseUrl === undefined) problems.push(`${name} needs DATABASE_URL`);
    if (v !== undefined && !/^postgres(ql)?:\/\/[^\s]+$/.test(v)) problems.push(`${name} must be a postgres:// or postgresql:// URL`);
  }
  const dataDir = str('DATA_DIR') ?? './data';

  let secrets: Partial<Secrets> = {
    JWT_SECRET: str('JWT_SECRET'),
    NIK_ENCRYPTION_KEY: str('NIK_ENCRYPTION_KEY'),
    NIK_HMAC_KEY: str('NIK_HMAC_KEY'),
  };
  const missing = (Object.keys(secrets) as (keyof Secrets)[]).filter((k) => secrets[k] === undefined);
  if (missing.length > 0) {
    if (databaseUrl !== undefined) {
      for (const k of missing) problems.push(`${k} is required when DATABASE_URL is set`);
    } else {
      secrets = { ...embeddedSecrets(dataDir), ...definedOnly(secrets) };
    }
  }

  const jwtSecret = secrets.JWT_SECRET ?? '';
  if (jwtSecret && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  let nikEncryptionKey = Buffer.alloc(0);
  if (secrets.NIK_ENCRYPTION_KEY) {
    nikEncryptionKey = Buffer.from(secrets.NIK_ENCRYPTION_KEY, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secrets.NIK_ENCRYPTION_KEY) || nikEncryptionKey.length !== 32) {
      problems.push('NIK_ENCRYPTION_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)');
    }
  }
  const nikHmacKey = Buffer.from(secrets.NIK_HMAC_KEY ?? '', 'utf8');
  if (secrets.NIK_HMAC_KEY && nikHmacKey.length < 32) problems.push('NIK_HMAC_KEY must be at least 32 characters');

  const adminUsername = (str('ADMIN_USERNAME') ?? 'admin').toLowerCase();
  if (!/^[a-z0-9._-]{3,64}$/.test(adminUsername)) {
    problems.push('ADMIN_USERNAME must be 3-64 characters of a-z, 0-9, ".", "_" or "-"');
  }
  const adminPassword = env.ADMIN_PASSWORD === '' ? undefined : env.ADMIN_PASSWORD;
  if (adminPassword !== undefined && (adminPassword.length < 10 || adminPassword.length > 256)) {
    problems.push('ADMIN_PASSWORD must be 10 to 256 characters');
  }
  const logLevel = str('LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
  }

  let eppgbmHeaders: Record<string, string> = {};
  const headersRaw = str('EPPGBM_HEADERS');
  if (headersRaw !== undefined) {
    try {
      const parsed: unknown = JSON.parse(headersRaw);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
      for (const [k, v] of Object.entries(parsed)) {
        if (typeof v !== 'string' || !EPPGBM_FIELDS.includes(v)) throw new Error(`${k}`);
      }
      eppgbmHeaders = parsed as Record<string, string>;
    } catch {
      problems.push(`EPPGBM_HEADERS must be a JSON object of header name to one of: ${EPPGBM_FIELDS.join(', ')}`);
    }
  }

  const publicHolidays = (str('PUBLIC_HOLIDAYS') ?? '').split(',').map((d) => d.trim()).filter(Boolean);
  const badHoliday = publicHolidays.find((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d)));
  if (badHoliday) problems.push(`PUBLIC_HOLIDAYS must be comma-separated YYYY-MM-DD dates (got "${badHoliday}")`);
  const smtpUrl = str('SMTP_URL');
  const webhookAllowedHosts = (str('WEBHOOK_ALLOWED_HOSTS') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1'))
    .filter(Boolean);
  for (const h of webhookAllowedHosts) {
    if (!/^[a-z0-9.:-]+$/.test(h)) problems.push(`WEBHOOK_ALLOWED_HOSTS must list host names or addresses, comma-separated (got "${h}")`);
  }
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl)) problems.push('SMTP_URL must be an smtp:// or smtps:// URL');

  // UU PDP practice (docs/security.md): access logs are kept at least 5 years.
  const auditLogRetentionMonths = int('AUDIT_LOG_RETENTION_MONTHS', 0, 0, 1200);
  if (auditLogRetentionMonths > 0 && auditLogRetentionMonths < 60) {
    problems.push(`AUDIT_LOG_RETENTION_MONTHS must be 0 (keep everything) or at least 60: the audit trail is kept 5 years (got "${auditLogRetentionMonths}")`);
  }
  const fhirAllowedHosts = (str('FHIR_ALLOWED_HOSTS') ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const badHost = fhirAllowedHosts.find((h) => !/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/.test(h));
  if (badHost) problems.push(`FHIR_ALLOWED_HOSTS must be comma-separated host names or host:port (got "${badHost}")`);

  let aksiFilesStore: S3Location | undefined;
  const aksiFilesUrl = str('AKSI_FILES_URL');
  if (aksiFilesUrl !== undefined) {
    const parsed = parseS3Url(aksiFilesUrl);
    if ('problem' in parsed) problems.push(parsed.problem);
    else aksiFilesStore = parsed.location;
    if (str('AKSI_FILES_DIR') !== undefined) {
      problems.push('AKSI_FILES_DIR and AKSI_FILES_URL name two stores for evidence files: set one (copy the directory into the bucket before switching)');
    }
  }

  const config: AppConfig = {
    port: int('PORT', 3000, 0, 65535),
    database: databaseUrl
      ? {
          mode: 'server',
          url: databaseUrl,
          poolSize: int('DB_POOL_SIZE', 10, 1, 200),
          directUrl: str('DATABASE_DIRECT_URL') ?? databaseUrl,
          ...(str('DATABASE_READ_URL') ? { readUrl: str('DATABASE_READ_URL') } : {}),
          namedStatements: bool('DB_NAMED_STATEMENTS', true),
        }
      : { mode: 'embedded', dataDir },
    migrationsRun: bool('DB_MIGRATIONS_RUN', true),
    jwtSecret,
    jwtTtlSeconds: int('JWT_TTL_SECONDS', 8 * 3600, 60, 30 * 24 * 3600),
    authCacheSeconds: int('AUTH_CACHE_SECONDS', 30, 0, 3600),
    nikEncryptionKey,
    nikHmacKey,
    adminUsername,
    adminPassword,
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    loginRateLimit: {
      limit: int('LOGIN_RATE_LIMIT', 10, 1, 10_000),
      windowSeconds: int('LOGIN_RATE_WINDOW_SECONDS', 900, 1, 86_400),
      addressFailures: int('LOGIN_ADDRESS_FAILURE_LIMIT', 20, 1, 100_000),
    },
    webhookAllowedHosts,
    logLevel,
    trustProxy: bool('TRUST_PROXY', false),
    eppgbmHeaders,
    importMaxBytes: int('IMPORT_MAX_BYTES', 100 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024),
    importConcurrency: int('IMPORT_CONCURRENCY', 2, 1, 64),
    importMaxRejections: int('IMPORT_MAX_REJECTIONS', 10_000, 100, 10_000_000),
    escalationSweepIntervalSeconds: int('ESCALATION_SWEEP_INTERVAL_SECONDS', 60, 0, 86_400),
    notificationDeliveryIntervalSeconds: int('NOTIFICATION_DELIVERY_INTERVAL_SECONDS', 10, 0, 86_400),
    notificationMaxAttempts: int('NOTIFICATION_MAX_ATTEMPTS', 10, 1, 100),
    publicHolidays,
    smtpUrl,
    mailFrom: str('MAIL_FROM') ?? 'Tuntas <no-reply@tuntas.local>',
    auditReads: bool('AUDIT_READS', true),
    prevalenceFreezeIntervalSeconds: int('PREVALENCE_FREEZE_INTERVAL_SECONDS', 3600, 0, 86_400),
    fhirExportIntervalSeconds: int('FHIR_EXPORT_INTERVAL_SECONDS', 30, 0, 86_400),
    fhirExportMaxAttempts: int('FHIR_EXPORT_MAX_ATTEMPTS', 10, 1, 100),
    fhirExportLeaseSeconds: int('FHIR_EXPORT_LEASE_SECONDS', 300, 1, 86_400),
    fhirExportBackoffSeconds: int('FHIR_EXPORT_BACKOFF_SECONDS', 30, 1, 86_400),
    fhirAllowedHosts,
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 1200, 0, 1_000_000),
    retentionSweepIntervalSeconds: int('RETENTION_SWEEP_INTERVAL_SECONDS', 86_400, 0, 30 * 86_400),
    timePartitionsIntervalSeconds: int('TIME_PARTITIONS_INTERVAL_SECONDS', 86_400, 0, 30 * 86_400),
    timePartitionsMonthsAhead: int('TIME_PARTITIONS_MONTHS_AHEAD', 3, 1, 24),
    auditLogRetentionMonths,
    aksiFilesDir: str('AKSI_FILES_DIR') ?? './data/aksi',
    aksiFilesStore,
    aksiMaxFileBytes: int('AKSI_MAX_FILE_BYTES', 25 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  };
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return Object.freeze(config);
}

function definedOnly(s: Partial<Secrets>): Partial<Secrets> {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));
}

/**
 * Embedded mode keeps its generated secrets next to its data, so a restart keeps sessions valid
 * and encrypted NIKs readable. In memory mode they live as long as the process.
 */
function embeddedSecrets(dataDir: string): Secrets {
  const generate = (): Secrets => ({
    JWT_SECRET: randomBytes(48).toString('base64url'),
    NIK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    NIK_HMAC_KEY: randomBytes(48).toString('base64url'),
  });
  if (dataDir === MEMORY_DATA_DIR) return generate();
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets = generate();
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secrets;
}
