// A small client for the partner commands that run over the API (`partnerdesk customers …`): where the API is
// (--url), how to sign in (--token, or --user and --password for a token from POST /v1/auth/token), and
// errors as one line — the API's description with each field reason, or the URL that could not be reached.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { Option } from 'commander';
import { environmentWith } from '../config.ts';

export const DEFAULT_URL = 'http://localhost:3000';

export interface ApiOptions {
  url?: string;
  token?: string;
  user?: string;
  password?: string;
}

/** The connection options every API command takes, each also from its environment variable. */
export function apiOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--url <url>', `the Partnerdesk to talk to (default: ${DEFAULT_URL})`).env(
        'PARTNERDESK_URL',
      ),
    )
    .addOption(
      new Option(
        '--token <token>',
        'an API token (made in the console or with POST /v1/profiles/apitokens) or an access token',
      ).env('PARTNERDESK_TOKEN'),
    )
    .addOption(
      new Option('--user <email>', 'sign in as this partner user instead of a token (with --password)').env(
        'PARTNERDESK_USER',
      ),
    )
    .addOption(
      new Option('--password <password>', "the partner user's password").env('PARTNERDESK_PASSWORD'),
    );
}

/**
 * A boolean flag set through its environment variable reads the value (commander treats any value, even
 * "0", as set): 1/true/yes/on are on, anything else off.
 */
export function flagValue(cmd: Command, name: string, envVar: string): boolean {
  const value = cmd.getOptionValue(name) as boolean | undefined;
  if (cmd.getOptionValueSource(name) !== 'env') return value === true;
  return /^(1|true|yes|on)$/i.test((environmentWith({})[envVar] ?? '').trim());
}

/** An answer of the API that is not a success, as one line. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
  }
}

interface ErrorEnvelope {
  description?: unknown;
  details?: { field?: unknown; reason?: unknown }[];
}

/** "description (field: reason; field: reason)" from the error envelope, or the status when there is none. */
export function describeError(status: number, statusText: string, body: unknown): string {
  const e = (body && typeof body === 'object' ? body : {}) as ErrorEnvelope;
  const description =
    typeof e.description === 'string' && e.description !== ''
      ? e.description
      : `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const details = Array.isArray(e.details)
    ? e.details
        .filter((d) => typeof d?.reason === 'string')
        .map((d) =>
          typeof d.field === 'string' && d.field !== '' ? `${d.field}: ${d.reason}` : String(d.reason),
        )
    : [];
  return details.length > 0 ? `${description} (${details.join('; ')})` : description;
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Api {
  /** The base URL, without a trailing slash. */
  readonly base: string;
  get<T>(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<T>;
  send<T>(
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
  /** A successful response whose body is left unread (for streaming). */
  stream(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<Response>;
  /** POSTs a file as it is (streamed from disk, never held in memory) and reads the JSON answer. */
  upload<T>(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    file: string,
    contentType: string,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
}

function baseUrl(raw: string | undefined): string {
  const text = (raw ?? '').trim() || DEFAULT_URL;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new Error(`--url (PARTNERDESK_URL) must be an http(s) URL like ${DEFAULT_URL}, not "${text}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(`--url (PARTNERDESK_URL) must be an http(s) URL like ${DEFAULT_URL}, not "${text}"`);
  return u.toString().replace(/\/+$/, '');
}

function withQuery(path: string, query: Record<string, string | number | boolean | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

/** fetch with a network failure said as the URL that could not be reached. */
async function call(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
    const origin = new URL(url).origin;
    throw new Error(`could not reach Partnerdesk at ${origin} (${why}); check --url or PARTNERDESK_URL`, {
      cause: err,
    });
  }
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function failure(res: Response, hint?: string): Promise<ApiError> {
  const body = await readBody(res).catch(() => undefined);
  const line = describeError(res.status, res.statusText, body);
  return new ApiError(res.status === 401 && hint ? `${line} ${hint}` : line, res.status, body);
}

/** Connects: checks the options and, given a user and password rather than a token, signs in. */
export async function connectApi(opts: ApiOptions): Promise<Api> {
  const base = baseUrl(opts.url);
  const json = { 'content-type': 'application/json', accept: 'application/json' };
  let token = opts.token?.trim();
  let hint = '(check --token or PARTNERDESK_TOKEN)';
  if (!token) {
    const user = opts.user?.trim();
    if (!user || !opts.password)
      throw new Error(
        'sign in with --token (PARTNERDESK_TOKEN), or --user and --password (PARTNERDESK_USER, PARTNERDESK_PASSWORD)',
      );
    const res = await call(`${base}/v1/auth/token`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ userName: user, password: opts.password }),
    });
    if (!res.ok) throw await failure(res);
    token = ((await res.json()) as { access_token: string }).access_token;
    hint = '(check --user and --password)';
  }
  const auth = { authorization: `Bearer ${token}` };

  return {
    base,
    async get<T>(path: string, query?: Record<string, string | number | boolean | undefined>) {
      const res = await call(`${base}${withQuery(path, query)}`, {
        headers: { ...auth, accept: 'application/json' },
      });
      if (!res.ok) throw await failure(res, hint);
      return (await res.json()) as T;
    },
    async send<T>(method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
      const res = await call(`${base}${path}`, {
        method,
        headers: { ...auth, ...json, ...headers },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw await failure(res, hint);
      return { status: res.status, headers: res.headers, body: (await readBody(res)) as T };
    },
    async stream(path: string, query?: Record<string, string | number | boolean | undefined>) {
      const res = await call(`${base}${withQuery(path, query)}`, { headers: auth });
      if (!res.ok) throw await failure(res, hint);
      return res;
    },
    async upload<T>(
      path: string,
      query: Record<string, string | number | boolean | undefined>,
      file: string,
      contentType: string,
      headers: Record<string, string> = {},
    ) {
      const size = fs.statSync(file).size;
      const res = await call(`${base}${withQuery(path, query)}`, {
        method: 'POST',
        headers: {
          ...auth,
          accept: 'application/json',
          'content-type': contentType,
          'content-length': String(size),
          ...headers,
        },
        body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>,
        // Node's fetch sends a stream body only half-duplex, and must be told so.
        duplex: 'half',
      } as RequestInit);
      if (!res.ok) throw await failure(res, hint);
      return { status: res.status, headers: res.headers, body: (await readBody(res)) as T };
    },
  };
}
