// The billing area's URLs, mounted by the app's router under the billing roles: the invoices, the charges not
// invoiced yet, one invoice, and one customer's billing (for those who do not see the customers pages).
import type { RouteObject } from 'react-router';
import { RequirePage } from '../../app/guards.tsx';
import { BillingLayout } from './BillingLayout.tsx';
import { CustomerBillingPage } from './CustomerBillingPage.tsx';
import { InvoicePage } from './InvoicePage.tsx';
import { InvoicesList } from './InvoicesList.tsx';
import { UnbilledCharges } from './UnbilledCharges.tsx';

export const billingRoutes: RouteObject = {
  path: 'billing',
  element: <RequirePage page="billing" />,
  children: [
    {
      element: <BillingLayout />,
      children: [
        { index: true, element: <InvoicesList /> },
        { path: 'unbilled', element: <UnbilledCharges /> },
      ],
    },
    { path: 'invoices/:invoiceId', element: <InvoicePage /> },
    { path: 'customers/:customerId', element: <CustomerBillingPage /> },
  ],
};
