import type { Migration } from 'kysely';
import * as foundation from './20261128T1900_foundation.ts';
import * as customers from './20261202T1700_customers.ts';
import * as relationships from './20261202T1800_relationships.ts';
import * as customerListAtScale from './20261203T0900_customer_list_at_scale.ts';
import * as offersSubscriptions from './20261203T1200_offers_subscriptions.ts';
import * as subscriptionsOrderLines from './20261203T1300_subscriptions_order_lines.ts';
import * as customerDirectory from './20261204T0900_customer_directory.ts';
import * as customerUserLifecycle from './20261204T1100_customer_user_lifecycle.ts';
import * as licenseSeats from './20261204T1200_license_seats.ts';
import * as transfers from './20261205T0900_transfers.ts';
import * as billing from './20261207T0900_billing.ts';
import * as support from './20261209T0900_support.ts';

// Append new migrations here; names sort by time and are never renamed.
export const migrations: Record<string, Migration> = {
  '20261128T1900_foundation': foundation,
  '20261202T1700_customers': customers,
  '20261202T1800_relationships': relationships,
  '20261203T0900_customer_list_at_scale': customerListAtScale,
  '20261203T1200_offers_subscriptions': offersSubscriptions,
  '20261203T1300_subscriptions_order_lines': subscriptionsOrderLines,
  '20261204T0900_customer_directory': customerDirectory,
  '20261204T1100_customer_user_lifecycle': customerUserLifecycle,
  '20261204T1200_license_seats': licenseSeats,
  '20261205T0900_transfers': transfers,
  '20261207T0900_billing': billing,
  '20261209T0900_support': support,
};
