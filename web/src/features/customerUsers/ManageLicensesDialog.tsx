// Manage the licences of the selected users at once: per product of the partner's subscriptions a checkbox that
// is checked when every selected user holds it, mixed when some do, clear when none; clicking sets it for all
// (or none, or back as it was). Who holds what comes with the users as the console read them (a CustomerUser
// carries its licences): no request per user, however many are selected. Each product says how many seats are
// free, and when Save would need more than that, that the later users will not get one; with no seat left,
// "Buy more" leads to adding a subscription. Save sends one update for all the users (one MS-RequestId per
// opening: a double click sends it once) and hands the per-user results to the page.
import { useId, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/states.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Customer } from '../customers/customers.queries.ts';
import { requestIdSequence } from '../customers/forms.ts';
import { useDirectoryAccess } from './access.ts';
import type { CustomerUser, LicenseUpdateResults } from './customerUsers.queries.ts';
import { useDirectoryMutations, useLatestUsers, useSubscribedSkus } from './customerUsers.queries.ts';
import { Seats } from './fields.tsx';
import type { Choice, Product } from './model.ts';
import {
  checkboxState,
  heldBy,
  holders,
  licenseUpdateBody,
  nextChoice,
  productsOf,
  seatsNeeded,
} from './model.ts';
import { MixedCheckbox } from './MixedCheckbox.tsx';

function ProductRow(props: {
  customerId: string;
  product: Product;
  held: number;
  users: number;
  choice: Choice;
  canBuy: boolean;
  onChange: (choice: Choice) => void;
}) {
  const { t, number } = useI18n();
  const id = useId();
  const p = props.product;
  const held = heldBy(props.held, props.users);
  const canAssign = !p.suspended && p.available > 0;
  const box = checkboxState(held, props.choice);
  const needed = seatsNeeded(props.held, props.users, props.choice);
  const short = needed - p.available;
  return (
    <li className="product-choice">
      <label className="checkbox">
        <MixedCheckbox
          name="products"
          value={p.id}
          checked={box.checked}
          indeterminate={box.indeterminate}
          // Nothing to do with it: no one holds it and no seat can be given.
          disabled={held === 'none' && !canAssign}
          aria-describedby={`${id}-seats ${id}-state`}
          onChange={() => props.onChange(nextChoice(held, props.choice, canAssign))}
        />
        {p.name}
      </label>
      <Seats id={`${id}-seats`} customerId={props.customerId} product={p} canBuy={props.canBuy} />
      <span id={`${id}-state`} className="hint block">
        {props.choice === 'assign'
          ? t('customerUsers.licenses.willAssign', { count: number(needed) })
          : props.choice === 'remove'
            ? t('customerUsers.licenses.willRemove', { count: number(props.held) })
            : t('customerUsers.licenses.holders', { count: number(props.held), users: number(props.users) })}
      </span>
      {short > 0 && (
        <p className="field-error">
          {t('customerUsers.licenses.short', { available: number(p.available), short: number(short) })}
        </p>
      )}
    </li>
  );
}

export function ManageLicensesDialog(props: {
  customer: Customer;
  users: CustomerUser[];
  onClose: (results?: LicenseUpdateResults) => void;
}) {
  const { t, number } = useI18n();
  const c = props.customer;
  const access = useDirectoryAccess();
  const skus = useSubscribedSkus(c.id);
  const selected = useLatestUsers(c.id, props.users);
  const { updateLicenses } = useDirectoryMutations(c.id);
  const [choices, setChoices] = useState<ReadonlyMap<string, Choice>>(new Map());
  const [requestIdFor] = useState(requestIdSequence);
  const sending = useRef(false);
  const products = productsOf(skus.data?.items ?? []);
  const byProduct = holders(products, new Map(selected.map((u) => [u.id, u.assignedLicenses])));
  const users = props.users.length;
  const changed = [...choices.values()].some((ch) => ch !== 'keep');
  const single = users === 1 ? props.users[0] : undefined;

  const save = () => {
    if (sending.current || !changed) return;
    const body = licenseUpdateBody(choices);
    const userIds = props.users.map((u) => u.id);
    sending.current = true;
    updateLicenses.mutate(
      { userIds, body, requestId: requestIdFor({ userIds, ...body }) },
      {
        onSuccess: (results) => props.onClose(results),
        onSettled: () => {
          sending.current = false;
        },
      },
    );
  };

  return (
    <Dialog
      title={
        single
          ? t('customerUsers.licenses.titleOne', { name: single.displayName })
          : t('customerUsers.licenses.title', { count: number(users) })
      }
      onClose={() => props.onClose()}
    >
      <p className="hint">{t('customerUsers.licenses.intro')}</p>
      {skus.isPending && <Loading />}
      {skus.isError && <ErrorAlert error={skus.error} onRetry={() => void skus.refetch()} />}
      {skus.isSuccess && (
        <fieldset className="roles product-list">
          <legend>{t('customerUsers.licenses.products')}</legend>
          {products.length === 0 ? (
            <p className="hint">{t('customerUsers.licenses.noProducts')}</p>
          ) : (
            <ul>
              {products.map((p) => (
                <ProductRow
                  key={p.id}
                  customerId={c.id}
                  product={p}
                  held={byProduct.get(p.id)?.size ?? 0}
                  users={users}
                  choice={choices.get(p.id) ?? 'keep'}
                  canBuy={access.canBuy}
                  onChange={(choice) => setChoices((m) => new Map(m).set(p.id, choice))}
                />
              ))}
            </ul>
          )}
        </fieldset>
      )}
      {updateLicenses.isError && <ErrorAlert error={updateLicenses.error} />}
      <div className="actions">
        <button
          type="button"
          className="button primary"
          disabled={!changed || updateLicenses.isPending}
          onClick={save}
        >
          {updateLicenses.isPending ? t('common.saving') : t('common.save')}
        </button>
        <button type="button" className="button secondary" onClick={() => props.onClose()}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
