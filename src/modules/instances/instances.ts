// Cloud instances as data (PRODUCT.md "Instance policies") and the one question every feature asks:
// "may a partner in this instance do X?". Domain suffixes and Germany's new-customer switch come from config.
import type { Config } from '../../config.ts';
import { AppError } from '../../lib/errors.ts';

export const INSTANCE_IDS = ['global', 'usgov', 'germany'] as const;
export type InstanceId = (typeof INSTANCE_IDS)[number];

export const CAPABILITIES = [
  'relationships.requestExisting',
  'relationships.withoutDap',
  'customerUsers.write',
  'customerUsers.bulkCsv',
  'relationships.remove',
  'transfers',
  'customers.create',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const CAPABILITY_LABELS: Record<Capability, string> = {
  'relationships.requestExisting': 'request a relationship with an existing customer',
  'relationships.withoutDap': 'a relationship without delegated admin privileges',
  'customerUsers.write': 'managing customer users, licenses and passwords',
  'customerUsers.bulkCsv': 'adding customer users from a CSV file',
  'relationships.remove': 'removing a reseller relationship',
  transfers: 'transferring subscriptions between partners',
  'customers.create': 'adding new customers',
};

export interface Instance {
  id: InstanceId;
  name: string;
  domainSuffix: string;
  policy: Record<Capability, boolean>;
}

export function instancesFrom(
  config: Pick<Config, 'instances' | 'germanyNewCustomers'>,
): Record<InstanceId, Instance> {
  return {
    global: {
      id: 'global',
      name: 'Global',
      domainSuffix: config.instances.global.domainSuffix,
      policy: {
        'relationships.requestExisting': true,
        'relationships.withoutDap': true,
        'customerUsers.write': true,
        'customerUsers.bulkCsv': true,
        'relationships.remove': true,
        transfers: true,
        'customers.create': true,
      },
    },
    usgov: {
      id: 'usgov',
      name: 'US Government',
      domainSuffix: config.instances.usgov.domainSuffix,
      policy: {
        'relationships.requestExisting': false,
        'relationships.withoutDap': false,
        'customerUsers.write': false,
        'customerUsers.bulkCsv': false,
        'relationships.remove': true,
        transfers: true,
        'customers.create': true,
      },
    },
    germany: {
      id: 'germany',
      name: 'Germany',
      domainSuffix: config.instances.germany.domainSuffix,
      policy: {
        'relationships.requestExisting': false,
        'relationships.withoutDap': false,
        'customerUsers.write': false,
        'customerUsers.bulkCsv': false,
        'relationships.remove': true,
        transfers: false,
        'customers.create': config.germanyNewCustomers,
      },
    },
  };
}

export interface InstanceService {
  get(id: InstanceId): Instance;
  list(): Instance[];
  /** May a partner in `instance` do `capability`? */
  allows(instance: InstanceId, capability: Capability): boolean;
  /** Throws instanceCapabilityRefused naming the instance when it may not. */
  assert(instance: InstanceId, capability: Capability): void;
}

export function createInstanceService(
  config: Pick<Config, 'instances' | 'germanyNewCustomers'>,
): InstanceService {
  const table = instancesFrom(config);
  return {
    get: (id) => table[id],
    list: () => INSTANCE_IDS.map((id) => table[id]),
    allows: (instance, capability) => table[instance].policy[capability],
    assert(instance, capability) {
      if (table[instance].policy[capability]) return;
      throw new AppError('instanceCapabilityRefused', {
        message: `The ${table[instance].name} cloud instance does not allow ${CAPABILITY_LABELS[capability]}.`,
        data: [{ instance, capability }],
      });
    },
  };
}

export function isInstanceId(v: string): v is InstanceId {
  return (INSTANCE_IDS as readonly string[]).includes(v);
}
