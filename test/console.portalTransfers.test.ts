// The customer's transfer consent page without a browser: what the signed-in user can do with a request (answer
// it, or which explanation the page gives instead), what a refused answer means, the look of each status, and
// that every explanation exists in every language with the facts it needs.
import { describe, expect, it } from 'vitest';
import { CATALOGS } from '../web/src/i18n/catalogs.ts';
import type { TransferLike, TransferStatus } from '../web/src/features/portal/transfers.model.ts';
import {
  CONSENT_STATES,
  REFUSED_TITLE,
  STATE_MESSAGE,
  awaitingConsent,
  consentState,
  refusal,
  statusTone,
} from '../web/src/features/portal/transfers.model.ts';

const request = (status: TransferStatus, customerConsent: TransferLike['customerConsent'] = 'pending') => ({
  status,
  customerConsent,
});

describe('what the customer can do with a request', () => {
  it('lets a Global admin answer a pending request awaiting consent, and tells anyone else why not', () => {
    expect(consentState(request('pending'), true)).toBe('answer');
    expect(consentState(request('pending'), false)).toBe('notGlobalAdmin');
  });

  it('says the organisation consented while the source partner decides, whoever reads it', () => {
    expect(consentState(request('pending', 'given'), true)).toBe('consented');
    expect(consentState(request('pending', 'given'), false)).toBe('consented');
  });

  it('tells a rejection by the customer from one by the source partner', () => {
    expect(consentState(request('rejected', 'declined'), true)).toBe('declined');
    expect(consentState(request('rejected', 'given'), true)).toBe('rejectedBySource');
    expect(consentState(request('rejected', 'pending'), true)).toBe('rejectedBySource');
  });

  it('gives every other status its own explanation and never offers an answer for it', () => {
    for (const status of [
      'expired',
      'cancelled',
      'inProgress',
      'completed',
      'partiallyCompleted',
      'failed',
    ] as const)
      for (const admin of [true, false]) expect(consentState(request(status, 'given'), admin)).toBe(status);
  });

  it('shows expiry, withdrawal and a missing role as refusals with a title', () => {
    expect(Object.keys(REFUSED_TITLE).sort()).toEqual(['cancelled', 'expired', 'notGlobalAdmin']);
  });

  it('lists the requests still awaiting the organisation’s answer', () => {
    const items = [
      { id: 'a', ...request('pending') },
      { id: 'b', ...request('pending', 'given') },
      { id: 'c', ...request('expired') },
      { id: 'd', ...request('pending') },
    ];
    expect(awaitingConsent(items).map((i) => i.id)).toEqual(['a', 'd']);
  });
});

describe('a refused answer', () => {
  it('means the request changed, the role is missing, or the request is not the organisation’s', () => {
    expect(refusal('transferAlreadyProcessed')).toBe('processed');
    expect(refusal('transferConsentNotAllowed')).toBe('notGlobalAdmin');
    expect(refusal('transferNotFound')).toBe('notFound');
    expect(refusal('unauthenticated')).toBeUndefined();
    expect(refusal('networkError')).toBeUndefined();
  });
});

describe('statuses', () => {
  it('shows completed as success, failed and rejected as failures, open ones as open', () => {
    expect(statusTone('completed')).toBe('succeeded');
    expect(statusTone('failed')).toBe('failed');
    expect(statusTone('rejected')).toBe('failed');
    expect(statusTone('pending')).toBe('open');
    expect(statusTone('inProgress')).toBe('open');
    for (const s of ['cancelled', 'expired', 'partiallyCompleted'] as const)
      expect(statusTone(s)).toBe('inactive');
  });
});

describe('the explanations', () => {
  const needs: Record<string, string[]> = {
    consented: ['by', 'date', 'source', 'target'],
    declined: ['by', 'date', 'source'],
    expired: ['date', 'source', 'target'],
    cancelled: ['date', 'source', 'target'],
    rejectedBySource: ['date', 'source'],
    notGlobalAdmin: ['organisation'],
  };
  for (const language of ['en', 'ru', 'de'] as const)
    it(`${language}: one per state, naming the facts the reader needs`, () => {
      for (const state of CONSENT_STATES) {
        if (state === 'answer') continue;
        const text = CATALOGS[language][STATE_MESSAGE[state]];
        expect(text, state).toBeTruthy();
        for (const name of needs[state] ?? []) expect(text, `${state} {${name}}`).toContain(`{${name}}`);
      }
    });
});
