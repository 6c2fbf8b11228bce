// Partner Center's list `filter` parameter: `{"Field":"…","Value":"…","Operator":"…"}`, JSON in the query string.
// Property names, the field and the operator match case-insensitively; every problem is answered at once as
// invalidFilter with the property at fault. Each list then says what its fields and operators mean.
import type { FieldIssue } from './errors.ts';
import { AppError } from './errors.ts';

export const invalidFilter = (...details: FieldIssue[]) => new AppError('invalidFilter', { details });

export function parseFilter<F extends string, O extends string>(
  raw: string,
  fields: readonly F[],
  operators: readonly O[],
): { field: F; operator: O; value: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidFilter({
      field: 'filter',
      reason: `must be JSON: {"Field":"${fields[0]}","Value":"…","Operator":"${operators[0]}"}`,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalidFilter({ field: 'filter', reason: 'must be a JSON object with Field, Value and Operator' });
  const props: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  for (const [k, v] of Object.entries(parsed)) {
    const key = k.toLowerCase();
    if (key === 'field' || key === 'value' || key === 'operator') props[key] = v;
    else
      issues.push({ field: `filter.${k}`, reason: 'is not a known property (use Field, Value, Operator)' });
  }
  const field = fields.find(
    (f) => typeof props.field === 'string' && f.toLowerCase() === props.field.toLowerCase(),
  );
  if (!field) issues.push({ field: 'filter.Field', reason: `must be one of ${fields.join(', ')}` });
  const operator = operators.find(
    (o) => typeof props.operator === 'string' && o === props.operator.toLowerCase(),
  );
  if (!operator) issues.push({ field: 'filter.Operator', reason: `must be one of ${operators.join(', ')}` });
  const value = typeof props.value === 'string' ? props.value.trim() : undefined;
  if (!value || value.length > 200)
    issues.push({ field: 'filter.Value', reason: 'must be a text of 1 to 200 characters' });
  // The JSON escape \u0000 gets past the check of the raw query string; PostgreSQL cannot compare it.
  else if (value.includes('\u0000'))
    issues.push({ field: 'filter.Value', reason: 'must not contain the NUL character (U+0000)' });
  if (issues.length || !field || !operator || !value) throw invalidFilter(...issues);
  return { field, operator, value };
}
