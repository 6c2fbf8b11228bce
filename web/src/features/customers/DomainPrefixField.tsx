// The domain prefix of a new customer, with the partner's instance suffix shown after it and a live check while
// typing: a pause in typing asks the API whether <prefix>.<suffix> is free, and the answer (available, taken, or
// the API's reason the prefix cannot be used) is announced politely, without moving the focus.
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { checkDomain } from './customers.queries.ts';
import { useDebounced } from './useDebounced.ts';

const PAUSE_MS = 400;

export function DomainPrefixField(props: {
  value: string;
  suffix: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const prefix = props.value.trim().toLowerCase();
  const settled = useDebounced(prefix, PAUSE_MS);
  const domain = `${settled}.${props.suffix}`;
  const check = useQuery({
    queryKey: ['domains', domain],
    queryFn: () => checkDomain(domain),
    enabled: settled !== '',
    staleTime: 5_000,
  });
  let status = '';
  let tone = '';
  if (prefix === '') status = '';
  else if (prefix !== settled || check.isFetching) status = t('addCustomer.domainChecking');
  else if (check.isError) status = t('addCustomer.domainUnknown');
  else if (check.data?.state === 'available') {
    status = t('addCustomer.domainAvailable', { domain });
    tone = 'success';
  } else if (check.data?.state === 'taken') {
    status = t('addCustomer.domainTaken', { domain });
    tone = 'field-error';
  } else if (check.data?.state === 'invalid') {
    status = t('addCustomer.domainInvalid', { domain, reason: check.data.reason });
    tone = 'field-error';
  }
  const describedBy = [`${id}-hint`, `${id}-suffix`, `${id}-status`, props.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{t('addCustomer.domainPrefix')}</label>
      <p id={`${id}-hint`} className="hint">
        {t('addCustomer.domainHint')}
      </p>
      <div className="domain-input">
        <input
          id={id}
          name="domainPrefix"
          required
          autoComplete="off"
          spellCheck={false}
          value={props.value}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => props.onChange(e.target.value)}
        />
        <span id={`${id}-suffix`} className="domain-suffix">
          .{props.suffix}
        </span>
      </div>
      <p id={`${id}-status`} role="status" className={`small ${tone}`}>
        {status}
      </p>
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}
