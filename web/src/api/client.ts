// The typed API client: openapi-fetch over the generated schema, on the console's session cookie.
// Writes carry X-CSRF-Token (the API refuses cookie writes without it); error envelopes become ApiError.
import createClient from 'openapi-fetch';
import type { Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { csrfToken } from './csrf.ts';

/** The JSON body of an operation's response (`paths[…]['get']['responses'][200]`). */
export type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;
export type Profile = paths['/v1/profiles/me']['get']['responses'][200]['content']['application/json'];
export type ConsoleSession =
  paths['/v1/auth/sessions']['post']['responses'][200]['content']['application/json'];
export type AuditRecord =
  paths['/v1/auditrecords']['get']['responses'][200]['content']['application/json']['items'][number];
export type Role = Profile['roles'][number];
export type Language = NonNullable<Profile['language']>;
/** The error envelope every API error answers (named by the document's $ref, hence read from a response). */
type Envelope = paths['/v1/profiles/me']['get']['responses'][401]['content']['application/json'];

/** An API error envelope, or a failure to reach the API at all (`name: 'networkError'`, code 0). */
export class ApiError extends Error {
  readonly code: number;
  override readonly name: string;
  readonly description: string;
  readonly details: { field: string; reason: string }[];
  readonly status: number;
  readonly requestId?: string;
  /** What the error carries besides (a 412 on an update: the resource as it is now). */
  readonly data: unknown[];

  constructor(status: number, envelope: Partial<Envelope>) {
    super(envelope.description ?? `HTTP ${status}`);
    this.status = status;
    this.code = envelope.code ?? 0;
    this.name = envelope.name ?? 'httpError';
    this.description = envelope.description ?? '';
    this.details = envelope.details ?? [];
    this.requestId = envelope.requestId;
    this.data = envelope.data ?? [];
  }

  /** What the API said about one field (`newPassword`), every reason it gave, if it named the field. */
  fieldError(field: string): string | undefined {
    const reasons = this.details.filter((d) => d.field.toLowerCase() === field.toLowerCase());
    return reasons.length ? reasons.map((d) => d.reason).join('; ') : undefined;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrf: Middleware = {
  onRequest({ request }) {
    const token = csrfToken.get();
    if (!SAFE.has(request.method) && token) request.headers.set('X-CSRF-Token', token);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && 'code' in value && 'name' in value;
}

/**
 * Awaits an openapi-fetch call and answers its data, or throws ApiError. Lets every caller (TanStack Query's
 * queryFn and mutationFn) treat errors one way.
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, { name: 'networkError' });
  }
  const { data, error, response } = result;
  if (error !== undefined || !response.ok)
    throw new ApiError(response.status, isEnvelope(error) ? error : {});
  return data as T;
}

export type PartnerUser =
  paths['/v1/partnerusers/{id}']['get']['responses'][200]['content']['application/json'];
export type CreatedPartnerUser =
  paths['/v1/partnerusers']['post']['responses'][201]['content']['application/json'];
