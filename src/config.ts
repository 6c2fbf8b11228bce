// The one reader of process.env. Every setting is declared once here, parsed at start-up, and a bad value
// stops the process with a single line naming the variable (ConfigError).
import path from 'node:path';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}

type Parser<T> = (raw: string, name: string) => T;

const int =
  (min: number, max: number): Parser<number> =>
  (raw, name) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
    return n;
  };

const bool: Parser<boolean> = (raw, name) => {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new ConfigError(name, `must be true or false (1/0), got "${raw}"`);
};

const oneOf =
  <T extends string>(...values: T[]): Parser<T> =>
  (raw, name) => {
    if ((values as string[]).includes(raw)) return raw as T;
    throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
  };

const text: Parser<string> = (raw, name) => {
  if (raw.trim() === '') throw new ConfigError(name, 'must not be empty');
  return raw.trim();
};

const domainSuffix: Parser<string> = (raw, name) => {
  const v = raw.trim().toLowerCase();
  if (!/^(?=.{3,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(v))
    throw new ConfigError(name, `must be a domain name such as onpartnerdesk.com, got "${raw}"`);
  return v;
};

const postgresUrl: Parser<string> = (raw, name) => {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a URL such as postgres://user:password@localhost:5432/partnerdesk');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new ConfigError(name, `must start with postgres://, got "${u.protocol}"`);
  if (u.pathname.replace(/^\//, '') === '') throw new ConfigError(name, 'must name a database (…/dbname)');
  return raw;
};

type Severity = 'critical' | 'moderate' | 'minimal';

/** `critical=2h,moderate=4h,minimal=8h` (units m, h or d; every severity named once) → minutes. */
const responseTargets: Parser<Record<Severity, number>> = (raw, name) => {
  const out: Partial<Record<Severity, number>> = {};
  const unit = { m: 1, h: 60, d: 1440 } as const;
  for (const part of raw.split(',')) {
    const m = /^\s*(critical|moderate|minimal)\s*=\s*(\d{1,5})\s*([mhd])\s*$/.exec(part);
    if (!m) throw new ConfigError(name, `must read like critical=2h,moderate=4h,minimal=8h, got "${raw}"`);
    const severity = m[1] as Severity;
    if (out[severity] !== undefined) throw new ConfigError(name, `names ${severity} twice`);
    const minutes = Number(m[2]) * unit[m[3] as keyof typeof unit];
    if (minutes < 1 || minutes > 90 * 1440) throw new ConfigError(name, `${severity} must be 1m to 90d`);
    out[severity] = minutes;
  }
  for (const severity of ['critical', 'moderate', 'minimal'] as const)
    if (out[severity] === undefined) throw new ConfigError(name, `must give a target for ${severity}`);
  return out as Record<Severity, number>;
};

function read<T>(env: NodeJS.ProcessEnv, name: string, parse: Parser<T>, fallback: T): T;
function read<T>(env: NodeJS.ProcessEnv, name: string, parse: Parser<T>): T | undefined;
function read<T>(env: NodeJS.ProcessEnv, name: string, parse: Parser<T>, fallback?: T): T | undefined {
  const raw = env[name];
  if (raw === undefined || (raw === '' && fallback !== undefined)) return fallback;
  return parse(raw, name);
}

export interface Config {
  port: number;
  host: string;
  /** Public base URL used in links (invitations, paging `links.next`). */
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Owner connection: migrations, role set-up, jobs. Unset → embedded PostgreSQL under dataDir. */
  databaseUrl: string | undefined;
  /** Connection the request path uses; a role subject to row-level security. Derived when unset. */
  databaseAppUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  demo: boolean;
  instances: {
    global: { domainSuffix: string };
    usgov: { domainSuffix: string };
    germany: { domainSuffix: string };
  };
  /** Germany is a closed instance by default: no new customers unless switched on. */
  germanyNewCustomers: boolean;
  auth: {
    accessTokenTtlSeconds: number;
    sessionTtlSeconds: number;
    maxFailedSignIns: number;
    lockoutSeconds: number;
    cookieSecure: boolean;
  };
  rateLimit: { perMinute: number; signInPerMinute: number };
  bodyLimitBytes: number;
  idempotencyTtlHours: number;
  /** Adding customer users from a file (PRODUCT.md feature 8). */
  usersImport: {
    /** Data rows one file may have; more refuse the file. */
    maxRows: number;
    /** The largest users file accepted, in bytes (the API's other bodies keep BODY_LIMIT_BYTES). */
    maxFileBytes: number;
    /** Users created per transaction by the import worker. */
    batchSize: number;
    /** How long a worker holds an import between batches before another process may take it over. */
    leaseSeconds: number;
  };
  /** Transfers between partners (PRODUCT.md feature 6). */
  transfers: {
    /** How long a worker holds an accepted request between line items before another process may take it over. */
    leaseSeconds: number;
  };
  /** Billing (PRODUCT.md feature 10). */
  billing: {
    /** How long after a month ends the maintenance job invoices it: late usage for the month is taken until then. */
    closeDelayHours: number;
  };
  /** Support (PRODUCT.md feature 11). */
  support: {
    /** Time to first response per severity, in minutes. */
    responseTargetMinutes: { critical: number; moderate: number; minimal: number };
    /** The largest attachment accepted, in bytes. */
    attachmentMaxBytes: number;
    /** How many days after closing a request may still be reopened. */
    reopenDays: number;
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = read(env, 'PORT', int(0, 65535), 3000);
  const host = read(env, 'HOST', text, 'localhost');
  return {
    port,
    host,
    publicUrl: read(env, 'PUBLIC_URL', text, `http://localhost:${port}`).replace(/\/$/, ''),
    logLevel: read(
      env,
      'LOG_LEVEL',
      oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
      'info',
    ),
    databaseUrl: read(env, 'DATABASE_URL', postgresUrl),
    databaseAppUrl: read(env, 'DATABASE_APP_URL', postgresUrl),
    databasePoolSize: read(env, 'DATABASE_POOL_SIZE', int(1, 500), 20),
    dataDir: path.resolve(read(env, 'DATA_DIR', text, './data')),
    demo: read(env, 'PARTNERDESK_DEMO', bool, true),
    instances: {
      global: { domainSuffix: read(env, 'INSTANCE_GLOBAL_DOMAIN', domainSuffix, 'onpartnerdesk.com') },
      usgov: { domainSuffix: read(env, 'INSTANCE_USGOV_DOMAIN', domainSuffix, 'onpartnerdesk.us') },
      germany: { domainSuffix: read(env, 'INSTANCE_GERMANY_DOMAIN', domainSuffix, 'onpartnerdesk.de') },
    },
    germanyNewCustomers: read(env, 'INSTANCE_GERMANY_NEW_CUSTOMERS', bool, false),
    auth: {
      accessTokenTtlSeconds: read(env, 'ACCESS_TOKEN_TTL_SECONDS', int(60, 86_400), 3600),
      sessionTtlSeconds: read(env, 'SESSION_TTL_SECONDS', int(300, 30 * 86_400), 12 * 3600),
      maxFailedSignIns: read(env, 'SIGNIN_MAX_FAILURES', int(1, 100), 5),
      lockoutSeconds: read(env, 'SIGNIN_LOCKOUT_SECONDS', int(1, 86_400), 15 * 60),
      cookieSecure: read(env, 'COOKIE_SECURE', bool, false),
    },
    rateLimit: {
      perMinute: read(env, 'RATE_LIMIT_PER_MINUTE', int(1, 1_000_000), 600),
      signInPerMinute: read(env, 'RATE_LIMIT_SIGNIN_PER_MINUTE', int(1, 100_000), 30),
    },
    bodyLimitBytes: read(env, 'BODY_LIMIT_BYTES', int(1024, 100 * 1024 * 1024), 1024 * 1024),
    idempotencyTtlHours: read(env, 'IDEMPOTENCY_TTL_HOURS', int(1, 24 * 30), 24),
    usersImport: {
      maxRows: read(env, 'USERS_IMPORT_MAX_ROWS', int(1, 1_000_000), 10_000),
      maxFileBytes: read(env, 'USERS_IMPORT_MAX_BYTES', int(1024, 1024 * 1024 * 1024), 20 * 1024 * 1024),
      batchSize: read(env, 'USERS_IMPORT_BATCH_SIZE', int(1, 10_000), 500),
      leaseSeconds: read(env, 'USERS_IMPORT_LEASE_SECONDS', int(1, 3600), 30),
    },
    transfers: {
      leaseSeconds: read(env, 'TRANSFER_LEASE_SECONDS', int(1, 3600), 60),
    },
    billing: {
      closeDelayHours: read(env, 'BILLING_CLOSE_DELAY_HOURS', int(0, 24 * 28), 72),
    },
    support: {
      responseTargetMinutes: read(env, 'SUPPORT_RESPONSE_TARGETS', responseTargets, {
        critical: 120,
        moderate: 240,
        minimal: 480,
      }),
      attachmentMaxBytes: read(
        env,
        'SUPPORT_ATTACHMENT_MAX_BYTES',
        int(1024, 50 * 1024 * 1024),
        5 * 1024 * 1024,
      ),
      reopenDays: read(env, 'SUPPORT_REOPEN_DAYS', int(0, 3650), 30),
    },
  };
}

/** The process environment with command-line overrides on top (undefined leaves a variable as it is). */
export function environmentWith(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) env[k] = v;
  return env;
}

/** The variables loadConfig reads, for the README table and `--help`. */
export const configVariables = [
  'PORT',
  'HOST',
  'PUBLIC_URL',
  'LOG_LEVEL',
  'DATABASE_URL',
  'DATABASE_APP_URL',
  'DATABASE_POOL_SIZE',
  'DATA_DIR',
  'PARTNERDESK_DEMO',
  'INSTANCE_GLOBAL_DOMAIN',
  'INSTANCE_USGOV_DOMAIN',
  'INSTANCE_GERMANY_DOMAIN',
  'INSTANCE_GERMANY_NEW_CUSTOMERS',
  'ACCESS_TOKEN_TTL_SECONDS',
  'SESSION_TTL_SECONDS',
  'SIGNIN_MAX_FAILURES',
  'SIGNIN_LOCKOUT_SECONDS',
  'COOKIE_SECURE',
  'RATE_LIMIT_PER_MINUTE',
  'RATE_LIMIT_SIGNIN_PER_MINUTE',
  'BODY_LIMIT_BYTES',
  'IDEMPOTENCY_TTL_HOURS',
  'USERS_IMPORT_MAX_ROWS',
  'USERS_IMPORT_MAX_BYTES',
  'USERS_IMPORT_BATCH_SIZE',
  'USERS_IMPORT_LEASE_SECONDS',
  'TRANSFER_LEASE_SECONDS',
  'BILLING_CLOSE_DELAY_HOURS',
  'SUPPORT_RESPONSE_TARGETS',
  'SUPPORT_ATTACHMENT_MAX_BYTES',
  'SUPPORT_REOPEN_DAYS',
] as const;
