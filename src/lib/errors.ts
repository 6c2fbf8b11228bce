// The one error type and the one catalog: a stable name → numeric code → HTTP status → human message.
// Services throw AppError with a catalog name; the HTTP layer maps it (src/http/errors.plugin.ts).
// Numeric codes reuse Partner Center's where it documents the same condition; ours are 6-digit, grouped.

export interface FieldIssue {
  field: string;
  reason: string;
}

export const errorCatalog = {
  // 1000xx request shape
  validationFailed: {
    code: 100001,
    status: 400,
    message: 'The request is not valid; see details for each field.',
  },
  malformedJson: { code: 100002, status: 400, message: 'The request body is not valid JSON.' },
  bodyTooLarge: { code: 100003, status: 413, message: 'The request body is larger than allowed.' },
  unsupportedMediaType: { code: 100004, status: 415, message: 'The request body must be application/json.' },
  invalidContinuationToken: {
    code: 100005,
    status: 400,
    message: 'The continuation token is not valid for this request; start again from the first page.',
  },
  invalidFilter: { code: 100006, status: 400, message: 'The filter is not valid.' },
  routeNotFound: { code: 100010, status: 404, message: 'No such resource or operation.' },
  methodNotAllowed: { code: 100011, status: 405, message: 'This method is not allowed on this resource.' },
  // 1001xx authentication and authorization
  unauthenticated: { code: 100101, status: 401, message: 'Sign in first: send a valid bearer token.' },
  invalidCredentials: { code: 100102, status: 401, message: 'The user name or password is incorrect.' },
  accountLocked: {
    code: 100103,
    status: 403,
    message: 'This account is locked after repeated failed sign-ins; try again later.',
  },
  passwordChangeRequired: {
    code: 100104,
    status: 403,
    message: 'Change your temporary password before doing anything else.',
  },
  forbidden: { code: 100105, status: 403, message: 'Your roles do not allow this operation.' },
  csrfTokenInvalid: {
    code: 100106,
    status: 403,
    message: 'The request lacks a valid CSRF token (send the X-CSRF-Token header).',
  },
  accountInactive: { code: 100107, status: 401, message: 'This account is deactivated.' },
  passwordTooWeak: {
    code: 100108,
    status: 400,
    message: 'The new password does not meet the password rules.',
  },
  currentPasswordIncorrect: { code: 100109, status: 400, message: 'The current password is incorrect.' },
  tokenRolesNotHeld: {
    code: 100110,
    status: 400,
    message: 'An API token can only carry roles its creator holds.',
  },
  // 1002xx HTTP conventions
  preconditionFailed: {
    code: 100201,
    status: 412,
    message: 'The resource changed since you read it (ETag mismatch); read it again and retry.',
  },
  preconditionRequired: { code: 100202, status: 428, message: 'This update needs an If-Match header.' },
  requestIdReused: {
    code: 100203,
    status: 409,
    message: 'This MS-RequestId was already used for a different request.',
  },
  requestInProgress: {
    code: 100204,
    status: 409,
    message: 'A request with this MS-RequestId is still being processed; retry shortly.',
  },
  rateLimited: { code: 100205, status: 429, message: 'Too many requests; retry after the time given.' },
  invalidRequestId: {
    code: 100206,
    status: 400,
    message: 'MS-RequestId must be 1–128 characters of letters, digits, "-", "_", "." or ":".',
  },
  // 1003xx instances
  instanceCapabilityRefused: {
    code: 100301,
    status: 403,
    message: 'This operation is not available in your cloud instance.',
  },
  // 1004xx partners and partner users
  partnerNotFound: { code: 100401, status: 404, message: 'Partner not found.' },
  partnerUserNotFound: { code: 100402, status: 404, message: 'Partner user not found.' },
  userNameTaken: { code: 100403, status: 409, message: 'A user with this user name already exists.' },
  lastGlobalAdmin: {
    code: 100404,
    status: 409,
    message: 'A partner must keep at least one active Global admin.',
  },
  cannotChangeSelf: {
    code: 100405,
    status: 409,
    message: 'You cannot deactivate yourself or remove your own roles.',
  },
  apiTokenNotFound: { code: 100406, status: 404, message: 'API token not found.' },
  // 1005xx countries
  countryNotFound: {
    code: 100501,
    status: 404,
    message: 'No such country (use an ISO 3166-1 alpha-2 code such as US).',
  },
  // 1006xx customers
  customerNotFound: { code: 100601, status: 404, message: 'Customer not found.' },
  domainTaken: {
    code: 100602,
    status: 409,
    message: 'This domain is already in use by another customer; choose another prefix.',
  },
  domainNotFound: { code: 100603, status: 404, message: 'No customer has this domain: it is free.' },
  // 1007xx reseller relationships and invitations
  invitationNotFound: {
    code: 100701,
    status: 404,
    message: 'No such invitation: check that the link is complete, or ask the partner for a new one.',
  },
  invitationExpired: {
    code: 100702,
    status: 410,
    message: 'This invitation has expired; ask the partner for a new link.',
  },
  invitationRevoked: {
    code: 100703,
    status: 410,
    message: 'The partner has withdrawn this invitation; ask the partner for a new link.',
  },
  customerAdminRequired: {
    code: 100704,
    status: 403,
    message: 'Only a Global admin of your organisation may do this; ask one of your Global admins.',
  },
  relationshipAcrossInstances: {
    code: 100705,
    status: 403,
    message:
      'The partner and your organisation are in different cloud instances; a relationship cannot span them.',
  },
  relationshipRemovalBlocked: {
    code: 100706,
    status: 409,
    message: 'The relationship cannot be removed yet; see data for what blocks it and how to clear it.',
  },
  // 1008xx offers, orders and subscriptions
  offerNotFound: { code: 100801, status: 404, message: 'No such offer in the catalog.' },
  subscriptionNotFound: { code: 100802, status: 404, message: 'Subscription not found.' },
  orderNotFound: { code: 100803, status: 404, message: 'Order not found.' },
  noResellerRelationship: {
    code: 20002,
    status: 403,
    message: 'You have no active reseller relationship with this customer; request one first.',
  },
  customerAgreementRequired: {
    code: 100804,
    status: 409,
    message:
      'The customer has not accepted the customer agreement: confirm their acceptance before ordering.',
  },
  subscriptionSuspended: {
    code: 100805,
    status: 409,
    message: 'The subscription is suspended: reactivate it before changing its quantity.',
  },
  subscriptionNotSuspendable: {
    code: 100806,
    status: 409,
    message: 'Reservations and software cannot be suspended; cancel them instead.',
  },
  subscriptionNotCancellable: {
    code: 100807,
    status: 409,
    message: 'Only reservations and software can be cancelled; suspend this subscription instead.',
  },
  subscriptionEnded: {
    code: 100808,
    status: 409,
    message: 'The subscription is deleted or cancelled and can no longer change.',
  },
  parentSubscriptionInactive: {
    code: 100809,
    status: 409,
    message: 'The add-on’s base subscription is not active: reactivate the base subscription first.',
  },
  quantityBelowAssigned: {
    code: 100810,
    status: 409,
    message: 'The quantity cannot drop below the licenses assigned to users; remove licenses first.',
  },
  supportContactNotEligible: {
    code: 100811,
    status: 400,
    message: 'The support contact must be a partner with a reseller relationship with this customer.',
  },
  // 1010xx customer users
  usersFileInvalid: {
    code: 101001,
    status: 400,
    message: 'The users file cannot be used as it is; see details for why.',
  },
  customerUserNotFound: { code: 101002, status: 404, message: 'Customer user not found.' },
  customerUserNameTaken: {
    code: 101003,
    status: 409,
    message: 'A user with this user name already exists in the customer’s directory.',
  },
  userNameDomainInvalid: {
    code: 101004,
    status: 400,
    message: 'The user name must be at one of the customer’s domains.',
  },
  userNotDeleted: {
    code: 101005,
    status: 409,
    message: 'This user is not deleted; there is nothing to restore.',
  },
  userDeleted: {
    code: 101006,
    status: 409,
    message: 'This user is deleted; restore it before changing it.',
  },
  restoreWindowPassed: {
    code: 101007,
    status: 410,
    message: 'Deleted users can be restored for 30 days; this one can no longer be restored.',
  },
  customerLastGlobalAdmin: {
    code: 101008,
    status: 409,
    message: 'The customer’s last Global admin cannot be deleted or lose that role.',
  },
  directoryRoleNotFound: { code: 101009, status: 404, message: 'No such directory role.' },
  importNotFound: { code: 101010, status: 404, message: 'Users import not found.' },
  passwordsAlreadyDownloaded: {
    code: 101011,
    status: 410,
    message:
      'The temporary passwords of this import were already downloaded, and are shown only once. Reset a ' +
      'user’s password to give it a new one.',
  },
  importNotFinished: {
    code: 101012,
    status: 409,
    message: 'The import is still running; this file is ready when it has finished.',
  },
  // 1011xx licences
  licenseUpdateFailed: {
    code: 101101,
    status: 409,
    message: 'No licence could be changed; see details for each user and product.',
  },
  productNotAssignable: {
    code: 101102,
    status: 400,
    message: 'This product has no licences to assign to users.',
  },
  noLicensesAvailable: {
    code: 101103,
    status: 409,
    message: 'Every licence of this subscription is assigned; add licences or remove one from another user.',
  },
  usageLocationRequired: {
    code: 101104,
    status: 409,
    message: 'The user has no usage location; set one before assigning licences.',
  },
  licenseAlreadyAssigned: {
    code: 101105,
    status: 409,
    message: 'The user already has this product from another subscription.',
  },
  // 9001xx transfers between partners (Partner Center's numbers where it documents the condition)
  transferNotFound: { code: 900100, status: 404, message: 'Transfer request not found.' },
  subscriptionTransferInProgress: {
    code: 900101,
    status: 409,
    message:
      'This subscription is being transferred to another partner; it cannot be changed until the transfer ' +
      'has finished.',
  },
  transferAlreadyProcessed: {
    code: 900104,
    status: 409,
    message:
      'This transfer request has already been processed (accepted, rejected, cancelled or expired); see data ' +
      'for its status.',
  },
  // 1012xx transfers: ours
  transferNotEligible: {
    code: 101201,
    status: 409,
    message: 'These subscriptions cannot be transferred; see details for why, per subscription.',
  },
  transferConsentRequired: {
    code: 101202,
    status: 409,
    message: 'The customer has not consented to this transfer yet; it can be accepted once they have.',
  },
  transferWrongParty: {
    code: 101203,
    status: 403,
    message:
      'Only the source partner accepts or rejects a transfer request, and only the target partner cancels it.',
  },
  subscriptionTransferred: {
    code: 101204,
    status: 409,
    message: 'This subscription was transferred to another partner; it is kept as history and cannot change.',
  },
  transferConsentNotAllowed: {
    code: 101205,
    status: 403,
    message: 'Only a Global admin of the customer can consent to a transfer request.',
  },
  // 1013xx billing
  usageRecordsRejected: {
    code: 101301,
    status: 400,
    message:
      'Some usage records cannot be accepted; nothing from this batch was recorded. See details per record.',
  },
  usageRecordConflict: {
    code: 101302,
    status: 409,
    message:
      'A usage record with this clientRecordId was already recorded with different content; records are ' +
      'never changed. See details per record.',
  },
  billingPeriodClosed: {
    code: 101303,
    status: 409,
    message: 'The billing period of this usage has been invoiced; usage can no longer be added to it.',
  },
  invoiceNotFound: {
    code: 101304,
    status: 404,
    message: 'No invoice with this id exists for your partner account.',
  },
  budgetCurrencyMismatch: {
    code: 101305,
    status: 400,
    message: 'A spending budget is set in the currency of the customer’s market; see details.',
  },
  creditNoteExceedsLine: {
    code: 101306,
    status: 409,
    message: 'A credit note cannot credit more than what is left of the invoice line; see details.',
  },
  // 1014xx support
  serviceRequestNotFound: {
    code: 101401,
    status: 404,
    message: 'No service request with this id exists for your partner account.',
  },
  serviceRequestClosed: {
    code: 101402,
    status: 409,
    message: 'This service request is closed: it can only be reopened (PATCH {"status":"open"}).',
  },
  serviceRequestReopenExpired: {
    code: 101403,
    status: 409,
    message:
      'This service request was closed too long ago to reopen; open a new request and mention this one in it.',
  },
  attachmentNotAllowed: {
    code: 101404,
    status: 400,
    message: 'This file cannot be attached (its type, name or content is not allowed); see details.',
  },
  attachmentTooLarge: {
    code: 101405,
    status: 413,
    message: 'The attachment is larger than allowed; see details.',
  },
  attachmentLimitReached: {
    code: 101406,
    status: 409,
    message: 'This service request has as many attachments as it may have.',
  },
  attachmentNotFound: {
    code: 101407,
    status: 404,
    message: 'No attachment with this id exists on this service request.',
  },
  // 1009xx server
  internal: {
    code: 100901,
    status: 500,
    message: 'Something went wrong on our side; quote the request id when reporting it.',
  },
  serviceUnavailable: {
    code: 100902,
    status: 503,
    message: 'The service is temporarily unavailable; retry shortly.',
  },
} as const satisfies Record<string, { code: number; status: number; message: string }>;

export type ErrorName = keyof typeof errorCatalog;

export class AppError extends Error {
  readonly status: number;
  readonly code: number;
  constructor(
    readonly errorName: ErrorName,
    readonly extra: {
      message?: string;
      details?: FieldIssue[];
      data?: unknown[];
      headers?: Record<string, string>;
    } = {},
  ) {
    const entry = errorCatalog[errorName];
    super(extra.message ?? entry.message);
    this.status = entry.status;
    this.code = entry.code;
  }
}

/** Shorthand for a 400 with one or more field issues. */
export function invalid(...details: FieldIssue[]): AppError {
  return new AppError('validationFailed', { details });
}
