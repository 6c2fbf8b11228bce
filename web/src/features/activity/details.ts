// A one-line summary of a record's additionalInformation: known keys get localized names (unknown ones keep
// theirs), roles their role names, and a before/after pair only the names of what changed — the full JSON is
// in the CSV export.
import type { MessageKey, Translate } from '../../i18n/catalogs.ts';
import { CATALOGS } from '../../i18n/catalogs.ts';

type Details = Record<string, unknown>;

function label(t: Translate, key: string): string {
  const k = `activity.detail.${key}`;
  return k in CATALOGS.en ? t(k as MessageKey) : key;
}

function value(t: Translate, key: string, v: unknown): string {
  if (key === 'roles' && Array.isArray(v))
    return v.map((r) => (`role.${r}` in CATALOGS.en ? t(`role.${r}` as MessageKey) : String(r))).join(', ');
  if (Array.isArray(v)) return v.map((item) => listItem(item)).join(', ');
  // Codes with a known wording (how one signed in, why a sign-in failed); others as they are.
  const coded = `activity.value.${key}.${String(v)}`;
  if (coded in CATALOGS.en) return t(coded as MessageKey);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** An item of a listed value: an order line as "5 × M365-E3", other objects as JSON. */
function listItem(item: unknown): string {
  if (typeof item !== 'object' || item === null) return String(item);
  const line = item as { offerId?: unknown; quantity?: unknown };
  if (typeof line.offerId === 'string')
    return typeof line.quantity === 'number' ? `${line.quantity} × ${line.offerId}` : line.offerId;
  return JSON.stringify(item);
}

function changed(before: Details, after: Details): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

export function summarizeDetails(t: Translate, details: Details): string {
  const parts: string[] = [];
  const { before, after, ...rest } = details;
  for (const [key, v] of Object.entries(rest))
    if (v !== undefined && v !== null) parts.push(`${label(t, key)}: ${value(t, key, v)}`);
  const isObject = (o: unknown): o is Details => typeof o === 'object' && o !== null && !Array.isArray(o);
  if (isObject(before) && isObject(after)) {
    const fields = changed(before, after).map((k) => label(t, k));
    if (fields.length) parts.push(t('activity.detail.changed', { fields: fields.join(', ') }));
  } else if (isObject(after)) parts.push(t('activity.detail.created'));
  return parts.join(' · ');
}
