// The console's transfer logic without a browser: the eligibility list grouped by partner of record (your own
// subscriptions apart, the partners with something that can move first), the source chosen at first, what
// keeps a draft from being sent and the body it sends, the API's per-subscription refusals named, which answers
// each party may give a request and when, and the accept body for all or some line items.
import { describe, expect, it } from 'vitest';
import type { EligibilityLike, TransferLike } from '../web/src/features/transfers/model.ts';
import {
  acceptIds,
  actionsFor,
  createBody,
  defaultSource,
  draftProblem,
  groupBySource,
  isOpen,
  refusedSubscriptions,
} from '../web/src/features/transfers/model.ts';

const item = (over: Partial<EligibilityLike> & { subscriptionId: string }): EligibilityLike => ({
  friendlyName: `Sub ${over.subscriptionId}`,
  partnerIdOnRecord: 'p-demo',
  partnerNameOnRecord: 'Demo Reseller',
  isEligible: true,
  reason: null,
  ...over,
});

describe('eligibility by partner of record', () => {
  const items = [
    item({ subscriptionId: 'a1' }),
    item({ subscriptionId: 'a2', isEligible: false, reason: 'reservation' }),
    item({
      subscriptionId: 'b1',
      partnerIdOnRecord: 'p-alpine',
      partnerNameOnRecord: 'Alpine Ski',
      isEligible: false,
      reason: 'notAzureUsage',
    }),
    item({
      subscriptionId: 'y1',
      partnerIdOnRecord: 'p-me',
      partnerNameOnRecord: 'Northwind Cloud',
      isEligible: false,
      reason: 'alreadyYours',
    }),
  ];

  it('groups the other partners’ subscriptions, those with something to move first; yours apart', () => {
    const { sources, yours } = groupBySource(items);
    expect(sources.map((s) => [s.partnerName, s.eligible, s.items.map((i) => i.subscriptionId)])).toEqual([
      ['Demo Reseller', 1, ['a1', 'a2']],
      ['Alpine Ski', 0, ['b1']],
    ]);
    expect(yours.map((i) => i.subscriptionId)).toEqual(['y1']);
  });

  it('orders sources with nothing to move by name', () => {
    const { sources } = groupBySource([
      item({ subscriptionId: 'z', partnerIdOnRecord: 'z', partnerNameOnRecord: 'Zeta', isEligible: false }),
      item({ subscriptionId: 'a', partnerIdOnRecord: 'a', partnerNameOnRecord: 'Alpha', isEligible: false }),
    ]);
    expect(sources.map((s) => s.partnerName)).toEqual(['Alpha', 'Zeta']);
  });

  it('chooses the only partner with something to move, else none', () => {
    expect(defaultSource(groupBySource(items).sources)).toBe('p-demo');
    const two = [
      ...items,
      item({ subscriptionId: 'c1', partnerIdOnRecord: 'p-c', partnerNameOnRecord: 'C' }),
    ];
    expect(defaultSource(groupBySource(two).sources)).toBe('');
    expect(defaultSource([])).toBe('');
  });
});

describe('the request a draft sends', () => {
  const draft = { sourcePartnerId: 'p-demo', allEligible: false, chosen: ['a1'], note: '  Moving to us  ' };

  it('needs a source and a subscription (or all eligible)', () => {
    expect(draftProblem({ ...draft, sourcePartnerId: '' })).toBe('noSource');
    expect(draftProblem({ ...draft, chosen: [] })).toBe('noSubscription');
    expect(draftProblem({ ...draft, chosen: [], allEligible: true })).toBeUndefined();
    expect(draftProblem(draft)).toBeUndefined();
  });

  it('names the chosen subscriptions, or asks for all eligible; the note trimmed and only when written', () => {
    expect(createBody(draft)).toEqual({
      sourcePartnerTenantId: 'p-demo',
      subscriptionIds: ['a1'],
      note: 'Moving to us',
    });
    expect(createBody({ ...draft, allEligible: true, note: ' ' })).toEqual({
      sourcePartnerTenantId: 'p-demo',
      allEligible: true,
    });
  });

  it('names each refused subscription by the index the API gives; a reason about no subscription stays as it is', () => {
    const refused = refusedSubscriptions(
      [
        { field: 'subscriptionIds[1]', reason: 'It is in another open transfer request.' },
        { field: 'sourcePartnerTenantId', reason: 'Not a partner of record of this customer.' },
      ],
      ['a1', 'a2'],
      [item({ subscriptionId: 'a2', friendlyName: 'Contoso Azure' })],
    );
    expect(refused).toEqual([
      { subscriptionId: 'a2', name: 'Contoso Azure', reason: 'It is in another open transfer request.' },
      { reason: 'Not a partner of record of this customer.' },
    ]);
  });
});

describe('answers to a request', () => {
  const request = (over: Partial<TransferLike>): TransferLike => ({
    direction: 'received',
    status: 'pending',
    customerConsent: { status: 'pending' },
    ...over,
  });

  it('the source accepts only once the customer has consented, and rejects any time while pending', () => {
    expect(actionsFor(request({}), true)).toEqual({
      accept: 'awaitingConsent',
      reject: 'enabled',
      cancel: 'hidden',
    });
    expect(actionsFor(request({ customerConsent: { status: 'given' } }), true).accept).toBe('enabled');
  });

  it('the target cancels while pending and never accepts', () => {
    expect(actionsFor(request({ direction: 'sent', customerConsent: { status: 'given' } }), true)).toEqual({
      accept: 'hidden',
      reject: 'hidden',
      cancel: 'enabled',
    });
  });

  it('nothing once the request is no longer pending, or without the roles (or the instance) to manage', () => {
    for (const status of ['inProgress', 'completed', 'rejected', 'cancelled', 'expired'])
      expect(Object.values(actionsFor(request({ status }), true))).toEqual(['hidden', 'hidden', 'hidden']);
    expect(Object.values(actionsFor(request({ customerConsent: { status: 'given' } }), false))).toEqual([
      'hidden',
      'hidden',
      'hidden',
    ]);
  });

  it('accepts every line item by default and names the chosen ones otherwise, in the request’s order', () => {
    const lines = [{ subscriptionId: 'a' }, { subscriptionId: 'b' }, { subscriptionId: 'c' }];
    expect(acceptIds(lines, ['c', 'a', 'b'])).toBeUndefined();
    expect(acceptIds(lines, ['c', 'a'])).toEqual(['a', 'c']);
  });

  it('counts pending and in-progress requests as open', () => {
    expect(['pending', 'inProgress', 'completed', 'expired'].map(isOpen)).toEqual([true, true, false, false]);
  });
});
