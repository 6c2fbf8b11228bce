// The Customers area's URLs, mounted by the app's router: the list, adding a customer (its own roles: a user
// management admin may add customers without seeing the list), and the customer page with its tabs.
import type { RouteObject } from 'react-router';
import { RequirePage } from '../../app/guards.tsx';
import { AccountTab } from './AccountTab.tsx';
import { AddCustomerPage } from './AddCustomerPage.tsx';
import { CustomerPage } from './CustomerPage.tsx';
import { CustomersPage } from './CustomersPage.tsx';
import { CustomerBillingTab } from '../billing/CustomerBillingTab.tsx';
import { SubscriptionPage } from '../subscriptions/SubscriptionPage.tsx';
import { SubscriptionsTab } from '../subscriptions/SubscriptionsTab.tsx';
import { CustomerServiceRequestsTab } from '../support/CustomerServiceRequestsTab.tsx';
import { NewServiceRequestPage } from '../support/NewServiceRequestPage.tsx';
import { NewTransferPage } from '../transfers/NewTransferPage.tsx';
import { DeletedUsers } from '../customerUsers/DeletedUsers.tsx';
import { ImportPage } from '../customerUsers/ImportPage.tsx';
import { UploadUsersPage } from '../customerUsers/UploadUsersPage.tsx';
import { UserPage } from '../customerUsers/UserPage.tsx';
import { UsersList } from '../customerUsers/UsersList.tsx';
import { UsersTab } from '../customerUsers/UsersTab.tsx';

export const customerRoutes: RouteObject = {
  path: 'customers',
  children: [
    {
      index: true,
      element: (
        <RequirePage page="customers">
          <CustomersPage />
        </RequirePage>
      ),
    },
    {
      path: 'new',
      element: (
        <RequirePage page="addCustomer">
          <AddCustomerPage />
        </RequirePage>
      ),
    },
    {
      path: ':customerId',
      element: (
        <RequirePage page="customers">
          <CustomerPage />
        </RequirePage>
      ),
      children: [
        { index: true, element: <AccountTab /> },
        { path: 'subscriptions', element: <SubscriptionsTab /> },
        { path: 'subscriptions/:subscriptionId', element: <SubscriptionPage /> },
        { path: 'subscriptions/transfers/new', element: <NewTransferPage /> },
        {
          path: 'users',
          element: <UsersTab />,
          children: [
            { index: true, element: <UsersList /> },
            { path: 'deleted', element: <DeletedUsers /> },
            { path: 'upload', element: <UploadUsersPage /> },
            { path: 'imports/:importId', element: <ImportPage /> },
            { path: ':userId', element: <UserPage /> },
          ],
        },
        { path: 'billing', element: <CustomerBillingTab /> },
        { path: 'service-requests', element: <CustomerServiceRequestsTab /> },
        { path: 'service-requests/new', element: <NewServiceRequestPage /> },
      ],
    },
  ],
};
