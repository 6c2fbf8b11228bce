// A portal page for a signed-in customer user: the sign-in form without a session, the password form while a
// new password is due, and the page's own content once the user is known.
import type { ReactNode } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Loading } from '../../components/states.tsx';
import { CustomerPasswordForm } from './CustomerPasswordForm.tsx';
import { CustomerSignInForm } from './CustomerSignInForm.tsx';
import { useCustomerMe } from './portal.queries.ts';
import type { CustomerMe } from './portalClient.ts';
import { useCustomerSession } from './portalClient.ts';

export function SignedInCustomerPage({
  title,
  signInIntro,
  children,
}: {
  title: string;
  signInIntro: string;
  children: (me: CustomerMe) => ReactNode;
}) {
  const session = useCustomerSession();
  const me = useCustomerMe();
  let body;
  if (!session) body = <CustomerSignInForm intro={signInIntro} />;
  else if (me.isPending) body = <Loading />;
  else if (me.isError) body = <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  else if (me.data.user.mustChangePassword) body = <CustomerPasswordForm userName={me.data.user.userName} />;
  else body = children(me.data);
  return (
    <>
      <PageHeader title={title} />
      {body}
    </>
  );
}
