// The state every If-Match edit form keeps (billing profile, company profile, a customer user): the version it
// was opened on, the draft, the reasons by input with the summary's list, and the conflict shown after a 412.
// One hook, so a reason clears the same way when its input changes, and a refused update shows the current
// version in the same way, in each of them.
import { useState } from 'react';
import type { Unsaved } from './ConflictAlert.tsx';
import { unsavedValues } from './ConflictAlert.tsx';
import type { FieldErrors, Problem } from './forms.ts';

export function useEditForm<P, D>(initial: P, draftOf: (p: P) => D) {
  const [base, setBase] = useState(initial);
  const [draft, setDraft] = useState(() => draftOf(initial));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problems, setProblems] = useState<Problem[]>([]);
  // A new object on each refusal, so the summary takes the focus again even when its list is the same.
  const [focusKey, setFocusKey] = useState<object>();
  const [conflict, setConflict] = useState<{ unsaved: Unsaved[] }>();

  /** The user changed these inputs: their reasons no longer stand. */
  const clear = (inputs: string[]) => {
    if (!inputs.some((k) => errors[k])) return;
    const rest = { ...errors };
    for (const k of inputs) delete rest[k];
    setErrors(rest);
    setProblems((list) => list.filter((p) => !p.input || !inputs.includes(p.input)));
  };

  return {
    base,
    draft,
    setDraft,
    errors,
    problems,
    focusKey,
    conflict,
    clear,
    /** One value of the draft changed (a draft of plain values). */
    set: <K extends keyof D & string>(input: K, value: D[K]) => {
      setDraft((d) => ({ ...d, [input]: value }));
      clear([input]);
    },
    /** Reasons next to their inputs, and the summary (which takes the focus). */
    refuse: (byInput: FieldErrors, list: Problem[]) => {
      setErrors(byInput);
      setProblems(list);
      setFocusKey({});
    },
    /**
     * After a 412: the form holds the current version, and lists the values the user had typed that differ from
     * it, compared as `flat` lays a draft out by input.
     */
    showCurrent: (
      current: P,
      labels: Partial<Record<string, string>>,
      flat: (d: D) => Record<string, string>,
    ) => {
      const next = draftOf(current);
      setConflict({ unsaved: unsavedValues(flat(draft), flat(next), labels) });
      setBase(current);
      setDraft(next);
      setErrors({});
      setProblems([]);
    },
  };
}
