// Several choices as a labelled group of checkboxes (partner roles, a customer user's directory roles): the
// legend names the group, its hint and the API's reason are read with it, and a reason marks it invalid.
import { useId } from 'react';

export function CheckboxGroup<V extends string>(props: {
  legend: string;
  hint: string;
  /** The form field name each checkbox carries. */
  name: string;
  options: readonly { value: V; label: string }[];
  value: readonly V[];
  onChange: (value: V[]) => void;
  error?: string;
  disabled?: boolean;
}) {
  const id = useId();
  const toggle = (v: V, on: boolean) =>
    props.onChange(on ? [...props.value, v] : props.value.filter((x) => x !== v));
  return (
    <fieldset
      className="field roles"
      aria-describedby={`${id}-hint${props.error ? ` ${id}-error` : ''}`}
      aria-invalid={props.error ? true : undefined}
    >
      <legend>{props.legend}</legend>
      <p id={`${id}-hint`} className="hint">
        {props.hint}
      </p>
      {props.options.map((o) => (
        <label key={o.value} className="checkbox">
          <input
            type="checkbox"
            name={props.name}
            value={o.value}
            disabled={props.disabled}
            checked={props.value.includes(o.value)}
            onChange={(e) => toggle(o.value, e.target.checked)}
          />
          {o.label}
        </label>
      ))}
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}
