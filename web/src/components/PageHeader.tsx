// A page's heading. It takes focus when the page opens, so keyboard and screen-reader users land on the new
// page's content rather than on the link they followed.
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';

export function PageHeader(props: { title: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, [props.title]);
  return (
    <header className="page-header">
      <h1 ref={ref} tabIndex={-1}>
        {props.title}
      </h1>
      {props.children}
    </header>
  );
}
