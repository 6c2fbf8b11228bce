// A checkbox that can also show "some" (the native indeterminate state, which screen readers announce as
// mixed). `indeterminate` is a property of the element, not an attribute, so it is set after each render.
import { useEffect, useRef } from 'react';
import type { InputHTMLAttributes } from 'react';

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> {
  indeterminate: boolean;
}

export function MixedCheckbox({ indeterminate, ...input }: Props) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate;
  });
  return <input ref={ref} type="checkbox" {...input} />;
}
