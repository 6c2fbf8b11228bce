// The activity log's one-line summary of a record's details, as the console shows it.
import { describe, expect, it } from 'vitest';
import { summarizeDetails } from '../web/src/features/activity/details.ts';
import type { Language, MessageKey } from '../web/src/i18n/catalogs.ts';
import { CATALOGS, format } from '../web/src/i18n/catalogs.ts';

const translator = (language: Language) => (key: MessageKey, params?: Record<string, string | number>) =>
  format(CATALOGS[language][key], params);

describe('activity details summary', () => {
  it('names an order’s lines as quantity × offer, not as objects', () => {
    const t = translator('en');
    const summary = summarizeDetails(t, {
      currency: 'USD',
      lineItems: [
        { subscriptionId: 'a', offerId: 'M365-E3', quantity: 5 },
        { subscriptionId: 'b', offerId: 'AZURE-PLAN', quantity: 1, parentSubscriptionId: 'a' },
      ],
    });
    expect(summary).toBe('Currency: USD · Lines: 5 × M365-E3, 1 × AZURE-PLAN');
  });

  it('names a subscription change’s fields in the reader’s language', () => {
    const t = translator('de');
    const summary = summarizeDetails(t, {
      subscription: 'Head office',
      offerId: 'M365-E3',
      before: { quantity: 5, friendlyName: 'HQ' },
      after: { quantity: 6, friendlyName: 'HQ' },
    });
    expect(summary).toBe('Abonnement: Head office · Angebot: M365-E3 · Geändert: Anzahl');
  });
});
