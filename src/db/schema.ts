// Kysely's view of the tables. Each module's tables are declared here so the whole schema reads in one place;
// only the owning module's repository queries them.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface PartnersTable {
  id: Generated<string>;
  name: string;
  country: string;
  instance: 'global' | 'usgov' | 'germany';
  kind: 'direct' | 'indirectProvider' | 'indirectReseller';
  state: Generated<'active' | 'inactive'>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface PartnerUsersTable {
  id: Generated<string>;
  partner_id: string;
  user_name: string;
  display_name: string;
  password_hash: string;
  must_change_password: Generated<boolean>;
  roles: string[];
  state: Generated<'active' | 'inactive'>;
  language: string | null;
  failed_sign_ins: Generated<number>;
  locked_until: Date | null;
  last_sign_in_at: Date | null;
  password_changed_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface AuthSessionsTable {
  token_hash: Buffer;
  partner_id: string;
  user_id: string;
  kind: 'bearer' | 'console';
  csrf_hash: Buffer | null;
  created_at: CreatedAt;
  expires_at: Date;
  last_used_at: Date | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  partner_id: string;
  user_id: string;
  name: string;
  token_hash: Buffer;
  token_prefix: string;
  roles: string[];
  created_at: CreatedAt;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export interface ActivityRecordsTable {
  id: Generated<string>;
  partner_id: string;
  occurred_at: Generated<Date>;
  actor_kind: 'partnerUser' | 'apiToken' | 'operator' | 'system' | 'customer';
  actor_id: string | null;
  actor_name: string;
  customer_id: string | null;
  customer_name: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  status: 'succeeded' | 'failed';
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  request_id: string | null;
  correlation_id: string | null;
}

export interface IdempotencyKeysTable {
  partner_id: string;
  request_id: string;
  method: string;
  url: string;
  body_hash: string;
  state: 'pending' | 'done';
  status_code: number | null;
  response_headers: ColumnType<Record<string, string> | null, string | null, string | null>;
  response_body: string | null;
  created_at: CreatedAt;
  expires_at: Date;
}

export interface CustomersTable {
  id: string;
  instance: 'global' | 'usgov' | 'germany';
  commerce_id: Generated<string>;
  primary_domain: string;
  company_name: string;
  registration_number: string | null;
  billing_first_name: Generated<string>;
  billing_last_name: Generated<string>;
  billing_email: string;
  culture: string;
  language: string;
  billing_company_name: string;
  default_address: ColumnType<Record<string, string>, string, string>;
  name_key: string;
  domain_key: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface CustomerDomainsTable {
  domain: string;
  customer_id: string;
  is_primary: Generated<boolean>;
  created_at: CreatedAt;
}

export interface CustomerRelationshipsTable {
  partner_id: string;
  customer_id: string;
  relationship: Generated<'reseller'>;
  delegated_admin: boolean;
  state: Generated<'active' | 'removed'>;
  established_at: Generated<Date>;
  removed_at: Date | null;
  company_name: string;
  name_key: string;
  primary_domain: string;
  domain_key: string;
  customer_created_at: Date;
}

/** The calling partner's active relationships (a view: the tenant rule in its WHERE, see its migration). */
export interface CustomerListView {
  partner_id: string;
  customer_id: string;
  delegated_admin: boolean;
  established_at: Date;
  company_name: string;
  name_key: string;
  primary_domain: string;
  domain_key: string;
  customer_created_at: Date;
}

export interface PartnerCustomerCountsTable {
  partner_id: string;
  active_customers: number;
}

export interface CustomerUsersTable {
  id: Generated<string>;
  customer_id: string;
  user_name: string;
  first_name: string | null;
  last_name: string | null;
  display_name: string;
  password_hash: string;
  must_change_password: Generated<boolean>;
  roles: string[];
  state: Generated<'active' | 'inactive'>;
  usage_location: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
  // Sign-in on the customer-facing pages (migration 20261202T1800_relationships).
  failed_sign_ins: Generated<number>;
  locked_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  last_sign_in_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  password_changed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  // The directory (migration 20261204T0900_customer_directory).
  phone_number: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set while the user is deleted (`inactive`); the user is purged 30 days later. */
  soft_deleted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** foldForSearch of the names and user name: what `q` searches. */
  search_key: Generated<string>;
  /** The users-file import that created the user, if any. */
  import_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/**
 * The users of the customers the calling partner is related to (a view: the tenant rule in its WHERE, so that
 * search and sort reach their indexes; migration 20261204T1100). Read-only; no password hash.
 */
export interface CustomerDirectoryView {
  id: string;
  customer_id: string;
  user_name: string;
  first_name: string | null;
  last_name: string | null;
  display_name: string;
  phone_number: string | null;
  usage_location: string | null;
  roles: string[];
  state: 'active' | 'inactive';
  must_change_password: boolean;
  last_sign_in_at: Date | null;
  soft_deleted_at: Date | null;
  search_key: string;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface LicenseAssignmentsTable {
  id: Generated<string>;
  customer_id: string;
  user_id: string;
  subscription_id: string;
  /** The subscription's partner of record. */
  partner_id: string;
  /** `released` while the user is deleted: the seat is free, and restoring the user takes it back if it can. */
  state: Generated<'active' | 'released'>;
  assigned_at: Date;
  released_at: Date | null;
}

export type UserImportState = 'queued' | 'running' | 'completed' | 'failed';

export interface UserImportsTable {
  id: Generated<string>;
  partner_id: string;
  customer_id: string;
  actor_kind: string;
  actor_id: string;
  actor_name: string;
  file_name: string | null;
  file_sha256: string;
  delimiter: ',' | ';';
  header: string[];
  has_bom: boolean;
  usage_location: string;
  state: Generated<UserImportState>;
  total_rows: number;
  rows_done: Generated<number>;
  created_count: Generated<number>;
  failed_count: Generated<number>;
  error: string | null;
  lease_owner: string | null;
  lease_until: Date | null;
  attempts: Generated<number>;
  passwords_downloaded_at: Date | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  updated_at: Date;
}

export interface UserImportRowsTable {
  import_id: string;
  row_number: number;
  partner_id: string;
  cells: string[];
  first_name: string | null;
  last_name: string | null;
  display_name: string;
  user_name: string;
  status: 'pending' | 'created' | 'failed';
  message: string | null;
  user_id: string | null;
  /** Sealed (src/lib/seal.ts) until the passwords file is downloaded, then null. */
  temporary_password: string | null;
}

export interface CustomerAgreementsTable {
  id: Generated<string>;
  customer_id: string;
  partner_id: string | null;
  agreement_type: Generated<string>;
  signer_first_name: string;
  signer_last_name: string;
  signer_email: string;
  signer_phone: string | null;
  date_agreed: ColumnType<string, string, string>;
  confirmed_by: 'partner' | 'customer';
  created_at: CreatedAt;
}

export interface RelationshipInvitationsTable {
  id: string;
  partner_id: string;
  token_hash: Buffer;
  token_prefix: string;
  token_sealed: string;
  include_dap: boolean;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface RelationshipAcceptancesTable {
  id: Generated<string>;
  invitation_id: string;
  partner_id: string;
  customer_id: string;
  /** Null once the user who accepted has been purged (migration 20261204T1100). */
  accepted_by: string | null;
  outcome: 'created' | 'reactivated' | 'delegatedAdminGranted';
  accepted_at: Date;
}

export interface CustomerSessionsTable {
  token_hash: Buffer;
  customer_id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
}

// ── offers, orders and subscriptions (migration 20261203T1200_offers_subscriptions) ──

export type ProductKind = 'onlineService' | 'azure' | 'azurePlan' | 'reservation' | 'software';
export type Term = 'P1M' | 'P1Y' | 'P3Y';
export type BillingCycle = 'monthly' | 'annual' | 'triennial' | 'oneTime' | 'none';
export type SubscriptionStatus = 'active' | 'suspended' | 'deleted' | 'cancelled' | 'transferred';

export interface CatalogMarketsTable {
  country: string;
  currency: string;
}

export interface OffersTable {
  id: string;
  name: string;
  description: Generated<string>;
  product_kind: ProductKind;
  billing_type: 'license' | 'usage';
  unit_type: string;
  terms: Term[];
  billing_cycles: BillingCycle[];
  min_quantity: number;
  max_quantity: number;
  parent_offer_ids: string[];
  countries: string[];
  instances: ('global' | 'usgov' | 'germany')[];
  cancellable: boolean;
  is_available: Generated<boolean>;
  search_key: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface OfferPricesTable {
  offer_id: string;
  currency: string;
  term: Term | 'none';
  billing_cycle: BillingCycle;
  /** Minor units of the currency. */
  unit_price: number;
}

export interface OrdersTable {
  id: string;
  partner_id: string;
  customer_id: string;
  currency: string;
  created_by: string;
  created_at: Date;
  /** The line items as ordered (migration 20261203T1300_subscriptions_order_lines). */
  line_items: ColumnType<OrderLineItem[], string, string>;
}

/** One line of an order as it was placed. */
export interface OrderLineItem {
  lineItemNumber: number;
  offerId: string;
  subscriptionId: string;
  parentSubscriptionId: string | null;
  friendlyName: string;
  quantity: number;
  termDuration: Term | null;
  billingCycle: BillingCycle;
}

export interface SubscriptionsTable {
  id: string;
  partner_id: string;
  customer_id: string;
  order_id: string;
  line_item_number: number;
  offer_id: string;
  offer_name: string;
  product_kind: ProductKind;
  billing_type: 'license' | 'usage';
  unit_type: string;
  friendly_name: string;
  quantity: number;
  term: Term | null;
  billing_cycle: BillingCycle;
  auto_renew: boolean;
  currency: string;
  unit_price: number | null;
  status: Generated<SubscriptionStatus>;
  suspension_reasons: Generated<string[]>;
  parent_subscription_id: string | null;
  azure_subscription_id: string | null;
  support_partner_id: string | null;
  creation_date: Date;
  effective_start_date: Date;
  commitment_end_date: Date | null;
  suspended_at: Date | null;
  deletion_due_at: Date | null;
  cancelled_at: Date | null;
  deleted_at: Date | null;
  updated_at: Date;
  version: Generated<number>;
  // migration 20261205T0900_transfers
  transfer_id: Generated<string | null>;
  transferred_at: Generated<Date | null>;
  transferred_to_subscription_id: Generated<string | null>;
  transferred_from_subscription_id: Generated<string | null>;
}

// ── transfers between partners (migration 20261205T0900_transfers) ──

export type TransferStatus =
  | 'pending'
  | 'inProgress'
  | 'completed'
  | 'partiallyCompleted'
  | 'failed'
  | 'rejected'
  | 'cancelled'
  | 'expired';
export type TransferLineStatus =
  'pending' | 'accepted' | 'completed' | 'failed' | 'notAccepted' | 'rejected' | 'cancelled' | 'expired';
export type TransferEvent =
  | 'created'
  | 'consented'
  | 'consentDeclined'
  | 'accepted'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'lineCompleted'
  | 'lineFailed'
  | 'completed'
  | 'partiallyCompleted'
  | 'failed';

export interface TransfersTable {
  id: string;
  customer_id: string;
  instance: 'global' | 'usgov' | 'germany';
  source_partner_id: string;
  target_partner_id: string;
  status: Generated<TransferStatus>;
  note: Generated<string>;
  customer_consent: Generated<'pending' | 'given' | 'declined'>;
  consented_at: Date | null;
  consented_by: string | null;
  rejection_reason: string | null;
  rejected_by: 'source' | 'customer' | null;
  created_by_id: string | null;
  created_by_name: string;
  accepted_by_name: string | null;
  created_at: Date;
  updated_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  closed_at: Date | null;
  target_order_id: string | null;
  lease_owner: string | null;
  lease_until: Date | null;
  attempts: Generated<number>;
  version: Generated<number>;
}

export interface TransferLineItemsTable {
  transfer_id: string;
  line_number: number;
  source_partner_id: string;
  target_partner_id: string;
  subscription_id: string;
  azure_subscription_id: string | null;
  offer_id: string;
  offer_name: string;
  friendly_name: string;
  quantity: number;
  billing_cycle: string;
  status: Generated<TransferLineStatus>;
  error_code: string | null;
  error_description: string | null;
  new_subscription_id: string | null;
  completed_at: Date | null;
}

export interface TransferEventsTable {
  id: Generated<string>;
  transfer_id: string;
  source_partner_id: string;
  target_partner_id: string;
  occurred_at: Date;
  event: TransferEvent;
  actor_kind: 'partnerUser' | 'apiToken' | 'customer' | 'system';
  actor_name: string;
  actor_side: 'target' | 'source' | 'customer' | 'system';
  details: Generated<unknown>;
}

export interface SupportTopicsTable {
  id: string;
  name: string;
  description: string;
  sort_order: number;
}

export interface ServiceRequestCountersTable {
  partner_id: string;
  last_number: number;
}

export type ServiceRequestSeverity = 'critical' | 'moderate' | 'minimal';
export type ServiceRequestStatus = 'open' | 'attentionNeeded' | 'closed';

export interface ServiceRequestsTable {
  id: string;
  partner_id: string;
  customer_id: string;
  number: number;
  title: string;
  description: string;
  severity: ServiceRequestSeverity;
  support_topic_id: string;
  subscription_id: string | null;
  product_id: string | null;
  product_name: string | null;
  status: Generated<ServiceRequestStatus>;
  contact_first_name: string;
  contact_last_name: string;
  contact_email: string;
  contact_phone: string | null;
  organization_name: string;
  organization_phone: string | null;
  country_code: string;
  assigned_to_id: string | null;
  created_by_id: string | null;
  created_by_name: string;
  last_updated_by_id: string | null;
  last_updated_by_name: string;
  created_at: Date;
  updated_at: Date;
  response_clock_started_at: Date;
  response_due_at: Date;
  first_response_at: Date | null;
  closed_at: Date | null;
  last_closed_at: Date | null;
  reopen_count: Generated<number>;
  version: Generated<number>;
}

/**
 * The calling partner's service requests, every column (a view: the tenant rule in its WHERE, so that text search
 * reaches its trigram index; migration 20261209T0900). Read-only.
 */
export type ServiceRequestListView = ServiceRequestsTable;

export type ServiceRequestEventKind =
  | 'created'
  | 'note'
  | 'statusChanged'
  | 'severityChanged'
  | 'reassigned'
  | 'contactChanged'
  | 'attachmentAdded';

export interface ServiceRequestEventsTable {
  id: Generated<string>;
  request_id: string;
  partner_id: string;
  occurred_at: Date;
  kind: ServiceRequestEventKind;
  actor_kind: 'partnerUser' | 'apiToken' | 'operator' | 'system';
  actor_id: string | null;
  actor_name: string;
  text: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface ServiceRequestAttachmentsTable {
  id: string;
  request_id: string;
  partner_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  created_at: Date;
  created_by_id: string | null;
  created_by_name: string;
}

export interface DB {
  partners: PartnersTable;
  partner_users: PartnerUsersTable;
  auth_sessions: AuthSessionsTable;
  api_tokens: ApiTokensTable;
  activity_records: ActivityRecordsTable;
  idempotency_keys: IdempotencyKeysTable;
  customers: CustomersTable;
  customer_domains: CustomerDomainsTable;
  customer_relationships: CustomerRelationshipsTable;
  customer_list: CustomerListView;
  partner_customer_counts: PartnerCustomerCountsTable;
  customer_users: CustomerUsersTable;
  customer_directory: CustomerDirectoryView;
  customer_agreements: CustomerAgreementsTable;
  relationship_invitations: RelationshipInvitationsTable;
  relationship_acceptances: RelationshipAcceptancesTable;
  customer_sessions: CustomerSessionsTable;
  catalog_markets: CatalogMarketsTable;
  offers: OffersTable;
  offer_prices: OfferPricesTable;
  orders: OrdersTable;
  subscriptions: SubscriptionsTable;
  license_assignments: LicenseAssignmentsTable;
  user_imports: UserImportsTable;
  user_import_rows: UserImportRowsTable;
  transfers: TransfersTable;
  transfer_line_items: TransferLineItemsTable;
  transfer_events: TransferEventsTable;
  subscription_states: SubscriptionStatesTable;
  offer_meters: OfferMetersTable;
  meter_prices: MeterPricesTable;
  usage_records: UsageRecordsTable;
  billing_periods: BillingPeriodsTable;
  invoices: InvoicesTable;
  invoice_line_items: InvoiceLineItemsTable;
  customer_budgets: CustomerBudgetsTable;
  budget_alerts: BudgetAlertsTable;
  support_topics: SupportTopicsTable;
  service_request_counters: ServiceRequestCountersTable;
  service_requests: ServiceRequestsTable;
  service_request_list: ServiceRequestListView;
  service_request_events: ServiceRequestEventsTable;
  service_request_attachments: ServiceRequestAttachmentsTable;
}

// ── billing (migration 20261207T0900_billing) ──
// numeric columns come back from pg as strings (exact decimals), bigint as numbers, `date` as 'YYYY-MM-DD'.

export interface SubscriptionStatesTable {
  subscription_id: string;
  partner_id: string;
  customer_id: string;
  valid_from: Date;
  quantity: number;
  status: SubscriptionStatus;
  unit_price: number | null;
}

export interface OfferMetersTable {
  offer_id: string;
  meter_id: string;
  name: string;
  category: Generated<string>;
  unit: string;
}

export interface MeterPricesTable {
  offer_id: string;
  meter_id: string;
  currency: string;
  effective_from: string;
  unit_price: string;
}

export interface UsageRecordsTable {
  id: string;
  partner_id: string;
  customer_id: string;
  subscription_id: string;
  offer_id: string;
  meter_id: string;
  usage_date: string;
  quantity: string;
  unit_price: string;
  currency: string;
  amount: string;
  client_record_id: string;
  created_by: string;
  created_at: Date;
}

export interface BillingPeriodsTable {
  partner_id: string;
  period_start: string;
  status: Generated<'open' | 'closed'>;
  closed_at: Date | null;
}

export type InvoiceDocumentType = 'invoice' | 'creditNote';
export type InvoiceType = 'recurring' | 'oneTime';
export type BillingProvider = 'office' | 'azure' | 'oneTime';
export type InvoiceLineItemType = 'billingLineItems' | 'usageLineItems';
export type ChargeType =
  'cycleCharge' | 'prorateCharge' | 'prorateCredit' | 'usage' | 'oneTime' | 'creditNote';

export interface InvoicesTable {
  id: string;
  partner_id: string;
  document_type: InvoiceDocumentType;
  invoice_type: InvoiceType;
  currency: string;
  billing_period_start: string;
  billing_period_end: string;
  invoice_date: Date;
  amends_of: string | null;
  reason: string | null;
  total_charges: number; // bigint, parsed as a number (database.ts)
  line_count: number;
  created_by: string;
  created_at: Date;
}

export interface InvoiceLineItemsTable {
  invoice_id: string;
  line_number: number;
  partner_id: string;
  provider: BillingProvider;
  line_item_type: InvoiceLineItemType;
  charge_type: ChargeType;
  customer_id: string;
  customer_name: string;
  subscription_id: string;
  subscription_name: string;
  offer_id: string;
  offer_name: string;
  meter_id: string | null;
  meter_name: string | null;
  unit: string;
  quantity: string;
  unit_price: string;
  days: number | null;
  charge_start_date: string;
  charge_end_date: string;
  amount: number;
  amends_line: number | null;
}

export interface CustomerBudgetsTable {
  partner_id: string;
  customer_id: string;
  amount: number;
  currency: string;
  updated_by: string;
  updated_at: Date;
  version: Generated<number>;
}

export interface BudgetAlertsTable {
  partner_id: string;
  customer_id: string;
  period_start: string;
  threshold_percent: number;
  spend: number;
  budget: number;
  currency: string;
  raised_at: Date;
}
