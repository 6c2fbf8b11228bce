// An order refused by the API, for the forms: each line item's field reasons by the input they are about (the
// inputs are named like the API's fields), the others for the summary without a link.
import { ApiError } from '../../api/client.ts';
import type { FieldErrors, Problem } from '../customers/forms.ts';
import { apiProblems } from '../customers/forms.ts';
import { lineField, lineInput } from './model.ts';

const INPUTS = ['termDuration', 'billingCycle', 'quantity', 'friendlyName', 'parentSubscriptionId'];

/** `lineItems[0].Quantity` → `lineItems[0].quantity`; a reason about a whole line goes to its quantity. */
export function lineInputFor(field: string): string | undefined {
  const at = lineField(field);
  if (!at) return undefined;
  const input = INPUTS.find((i) => i.toLowerCase() === at.input.toLowerCase());
  if (input) return lineInput(at.index, input);
  // The offer itself (not sold here, retired): shown with the line's first input every offer has.
  return lineInput(at.index, 'quantity');
}

export function orderProblems(error: unknown): { errors: FieldErrors; problems: Problem[] } | undefined {
  if (!(error instanceof ApiError) || error.details.length === 0) return undefined;
  return apiProblems(error, lineInputFor);
}

/** The line inputs of `count` lines in the form's order, for the error summary. */
export function lineInputs(count: number): string[] {
  return Array.from({ length: count }, (_, i) => INPUTS.map((input) => lineInput(i, input))).flat();
}
