// A subscription's status as a badge: the word always, the colour only as a help.
import { useLabels } from './labels.ts';

export function StatusBadge(props: { status: string }) {
  const label = useLabels();
  return <span className={`badge subscription-${props.status}`}>{label('status', props.status)}</span>;
}
