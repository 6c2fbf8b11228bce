// What a refused update with If-Match shows, the same for every edit form (a customer's profiles, a customer user).
import { ApiError } from '../../api/client.ts';
import type { FieldErrors, Problem } from './forms.ts';
import { apiProblems, inFormOrder, inputForField } from './forms.ts';

/**
 * On 412 the profile as it is now — from the answer, or read again when a last-moment race left none — for the
 * form to show beside the user's unsaved values; on field reasons, each next to its input and in the summary.
 * Either way the mutation is reset, so its generic alert does not repeat what the form shows. Other errors stay
 * with the mutation, for its alert.
 */
export function showRefusedUpdate<P>(
  error: unknown,
  form: {
    showCurrent: (current: P) => void;
    readCurrent: () => Promise<P>;
    refuse: (byInput: FieldErrors, list: Problem[]) => void;
    inputs: readonly string[];
    reset: () => void;
    /** The form's input an API field names; the customer forms' mapping unless the form has its own. */
    inputFor?: (field: string) => string | undefined;
  },
): void {
  if (!(error instanceof ApiError)) return;
  if (error.status === 412) {
    const current = error.data[0] as P | undefined;
    if (current) form.showCurrent(current);
    else void form.readCurrent().then(form.showCurrent);
    form.reset();
  } else if (error.details.length > 0) {
    const { errors, problems } = apiProblems(error, form.inputFor ?? inputForField);
    form.refuse(errors, [...inFormOrder(errors, form.inputs), ...problems.filter((p) => !p.input)]);
    form.reset();
  }
}
