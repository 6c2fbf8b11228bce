// The partner-side relationship components other pages mount (see each file's first comment for where).
export { InvitationsPanel } from './InvitationsPanel.tsx';
export { InvitationsPage } from './InvitationsPage.tsx';
export { RemoveRelationshipPanel } from './RemoveRelationshipPanel.tsx';
export { RequestRelationshipDialog } from './RequestRelationshipDialog.tsx';
