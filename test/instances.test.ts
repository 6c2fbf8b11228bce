// Cloud instance policies (PRODUCT.md "Instance policies") and the one question features ask.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { AppError } from '../src/lib/errors.ts';
import type { Capability, InstanceId } from '../src/modules/instances/instances.ts';
import { createInstanceService } from '../src/modules/instances/instances.ts';

const instances = createInstanceService(loadConfig({}));

// The policy table as PRODUCT.md writes it, capability by capability: global, usgov, germany.
const TABLE: Record<Capability, [boolean, boolean, boolean]> = {
  'relationships.requestExisting': [true, false, false],
  'relationships.withoutDap': [true, false, false],
  'customerUsers.write': [true, false, false],
  'customerUsers.bulkCsv': [true, false, false],
  'relationships.remove': [true, true, true],
  transfers: [true, true, false],
  'customers.create': [true, true, false],
};

describe('cloud instances', () => {
  const ids: InstanceId[] = ['global', 'usgov', 'germany'];
  for (const [capability, expected] of Object.entries(TABLE) as [Capability, boolean[]][])
    it(`${capability}: ${expected.map((v, i) => `${ids[i]} ${v ? 'yes' : 'no'}`).join(', ')}`, () => {
      expect(ids.map((id) => instances.allows(id, capability))).toEqual(expected);
    });

  it('refuses with an error naming the instance and what it does not allow', () => {
    let caught: unknown;
    try {
      instances.assert('germany', 'transfers');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ errorName: 'instanceCapabilityRefused', status: 403 });
    expect((caught as Error).message).toBe(
      'The Germany cloud instance does not allow transferring subscriptions between partners.',
    );
    expect(() => instances.assert('global', 'transfers')).not.toThrow();
  });

  it('takes domain suffixes and the closed instance switch from configuration', () => {
    const custom = createInstanceService(
      loadConfig({ INSTANCE_USGOV_DOMAIN: 'gov.example.us', INSTANCE_GERMANY_NEW_CUSTOMERS: '1' }),
    );
    expect(custom.get('usgov').domainSuffix).toBe('gov.example.us');
    expect(instances.get('global').domainSuffix).toBe('onpartnerdesk.com');
    expect(custom.allows('germany', 'customers.create')).toBe(true);
  });

  it('stops start-up on a bad domain suffix, naming the variable', () => {
    expect(() => loadConfig({ INSTANCE_GLOBAL_DOMAIN: 'not a domain' })).toThrow(/INSTANCE_GLOBAL_DOMAIN/);
  });
});
