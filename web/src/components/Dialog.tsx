// A modal dialog on the native <dialog> element: showModal() keeps focus inside, Escape closes it, and the
// page behind is inert. Opens when mounted; the owner unmounts it to close.
import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={props.onClose}>
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
