// The Service requests area's URLs, mounted by the app's router under the roles that see support: the list
// across customers and one request. A customer's own list and the new-request form live under the customer page
// (customers/routes.tsx).
import type { RouteObject } from 'react-router';
import { RequirePage } from '../../app/guards.tsx';
import { ServiceRequestPage } from './ServiceRequestPage.tsx';
import { ServiceRequestsPage } from './ServiceRequestsPage.tsx';

export const serviceRequestRoutes: RouteObject = {
  path: 'service-requests',
  element: <RequirePage page="serviceRequests" />,
  children: [
    { index: true, element: <ServiceRequestsPage /> },
    { path: ':id', element: <ServiceRequestPage /> },
  ],
};
