// What the customer forms share: the API's field names (billingProfile.defaultAddress.postalCode) turned into
// the form's inputs (postalCode), so that each reason shows next to the field it is about; the inputs a form
// checks itself (only that required ones are filled: every other rule is the API's); and MS-RequestId values.

/** Reasons by input name. */
export type FieldErrors = Partial<Record<string, string>>;

/** One entry of a form's error summary: the input it is about (if the form has one) and why. */
export interface Problem {
  input?: string;
  reason: string;
}

const ADDRESS_INPUTS = [
  'country',
  'state',
  'city',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'phoneNumber',
] as const;

/**
 * The input of the add-customer and billing forms an API field names, case-insensitively: the body of a
 * billing-profile update is the profile itself, so its fields come without `billingProfile.`. The address's
 * contact names are the billing contact's in these forms, so they share its inputs. Undefined: no such input.
 */
export function inputForField(field: string): string | undefined {
  const f = field.toLowerCase();
  if (f === 'companyprofile.domain') return 'domainPrefix';
  if (f === 'companyprofile.companyname') return 'companyName';
  if (f.endsWith('organizationregistrationnumber')) return 'registrationNumber';
  const agreement = /^customeragreement\.(\w+)$/.exec(f);
  if (agreement) return agreementInput(agreement[1]!);
  const rest = f.replace(/^billingprofile\./, '');
  const address = /^defaultaddress\.(\w+)$/.exec(rest);
  if (address) {
    const name = address[1]!;
    if (name === 'firstname') return 'firstName';
    if (name === 'lastname') return 'lastName';
    return ADDRESS_INPUTS.find((i) => i.toLowerCase() === name);
  }
  return ['firstName', 'lastName', 'email', 'culture', 'language', 'companyName'].find(
    (i) => i.toLowerCase() === rest,
  );
}

/** The agreement inputs: `agreementFirstName`…, and `dateAgreed`. */
export function agreementInput(field: string): string | undefined {
  const f = field.toLowerCase();
  if (f === 'dateagreed') return 'dateAgreed';
  const known = ['firstName', 'lastName', 'email', 'phoneNumber'].find((i) => i.toLowerCase() === f);
  return known && `agreement${known[0]!.toUpperCase()}${known.slice(1)}`;
}

/**
 * The API's reasons by input, and the problems for the error summary (a reason about no input of the form is
 * listed there without a link). Several reasons for one input are joined.
 */
export function apiProblems(
  error: { details: { field: string; reason: string }[] },
  inputFor: (field: string) => string | undefined,
): { errors: FieldErrors; problems: Problem[] } {
  const errors: FieldErrors = {};
  const problems: Problem[] = [];
  for (const d of error.details) {
    const input = inputFor(d.field);
    if (input) {
      errors[input] = errors[input] ? `${errors[input]}; ${d.reason}` : d.reason;
      problems.push({ input, reason: d.reason });
    } else problems.push({ reason: `${d.field}: ${d.reason}` });
  }
  return { errors, problems };
}

/** The first message of each input, in the order the inputs are given (the form's order). */
export function inFormOrder(errors: FieldErrors, order: readonly string[]): Problem[] {
  return order.flatMap((input) => (errors[input] ? [{ input, reason: errors[input] }] : []));
}

/**
 * A random id for MS-RequestId: a UUID v4 from getRandomValues, which, unlike crypto.randomUUID, also works
 * where the console is served over plain HTTP to another host.
 */
export function newRequestId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One MS-RequestId per attempt sequence: the same body sent again (a double click, a retry after a network
 * error) keeps its id, so the API answers the first result instead of making a second customer; a changed body
 * (the user fixed a field) is a new request and gets a new id (the API refuses an id reused for another body).
 */
export function requestIdSequence() {
  let last: { id: string; body: string } | undefined;
  return (body: unknown): string => {
    const json = JSON.stringify(body);
    if (!last || last.body !== json) last = { id: newRequestId(), body: json };
    return last.id;
  };
}
