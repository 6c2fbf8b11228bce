// The page for something the address names that does not exist or is not the partner's (the API answers both
// alike, and a malformed id as well): what happened, and the way back to its list.
import { Link } from 'react-router';
import { PageHeader } from './PageHeader.tsx';

export function NotFoundNotice(props: { title: string; body: string; backTo: string; backLabel: string }) {
  return (
    <section className="notice">
      <PageHeader title={props.title} />
      <p>{props.body}</p>
      <p>
        <Link to={props.backTo}>{props.backLabel}</Link>
      </p>
    </section>
  );
}
