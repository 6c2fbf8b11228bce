// A request's or a line item's status as a badge: the word always, the colour only as a help.
import { useTransferLabels } from './labels.ts';

export function TransferStatusBadge(props: { status: string; line?: boolean }) {
  const label = useTransferLabels();
  return (
    <span className={`badge transfer-${props.status}`}>
      {label(props.line ? 'line' : 'status', props.status)}
    </span>
  );
}
