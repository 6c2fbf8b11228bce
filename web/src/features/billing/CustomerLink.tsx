// A customer named on an invoice or a charge line, linked to its billing: the customer page's Billing tab for
// those who may open customers, else the billing area's page of the customer (which learns the name from the
// link, as a Billing admin may not read the customer itself).
import { Link } from 'react-router';
import { useProfile } from '../../app/auth.tsx';
import { customerBillingPath } from './model.ts';

export function CustomerLink(props: { customerId: string; customerName: string }) {
  const { roles } = useProfile();
  return (
    <Link
      to={customerBillingPath(roles, props.customerId)}
      state={{ customerName: props.customerName }}
      className="strong"
    >
      {props.customerName}
    </Link>
  );
}
