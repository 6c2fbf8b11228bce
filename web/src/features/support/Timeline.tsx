// A request's history in order: opened, notes (with their text), status and severity changes, reassignments,
// contact changes and files attached, each with who did it and when.
import { useI18n } from '../../i18n/i18n.tsx';
import { useSupportLabels } from './labels.ts';
import type { HistoryEntry } from './support.queries.ts';

function useEntryText(): (e: HistoryEntry) => string {
  const { t } = useI18n();
  const label = useSupportLabels();
  return (e) => {
    const actor = e.actorName;
    switch (e.kind) {
      case 'created':
        return t('support.history.created', { actor });
      case 'note':
        return t('support.history.note', { actor });
      case 'statusChanged':
        return t('support.history.status', {
          actor,
          from: label('status', e.from ?? ''),
          to: label('status', e.to ?? ''),
        });
      case 'severityChanged':
        return t('support.history.severity', {
          actor,
          from: label('severity', e.from ?? ''),
          to: label('severity', e.to ?? ''),
        });
      case 'reassigned':
        if (e.from && e.to) return t('support.history.reassigned', { actor, from: e.from, to: e.to });
        if (e.to) return t('support.history.assigned', { actor, to: e.to });
        return t('support.history.unassigned', { actor, from: e.from ?? '' });
      case 'contactChanged':
        return t('support.history.contact', { actor });
      case 'attachmentAdded':
        return t('support.history.attachment', { actor, fileName: e.fileName ?? '' });
      default:
        return `${actor}: ${String(e.kind)}`;
    }
  };
}

export function Timeline(props: { entries: HistoryEntry[] }) {
  const { t, dateTime } = useI18n();
  const text = useEntryText();
  return (
    <section aria-labelledby="sr-history">
      <h2 id="sr-history">{t('support.history.title')}</h2>
      <ol className="sr-timeline" aria-labelledby="sr-history">
        {props.entries.map((e) => (
          <li key={e.id} className={`sr-event-${e.kind}`}>
            <time dateTime={e.date} className="muted small block">
              {dateTime(e.date)}
            </time>
            <span className="strong">{text(e)}</span>
            {e.kind === 'note' && e.text && <p className="sr-note-text">{e.text}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
