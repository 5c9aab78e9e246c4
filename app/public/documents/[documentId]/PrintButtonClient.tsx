'use client';

/** Opens the browser's print dialog; the page's print styles leave only the document. */
export function PrintButtonClient({ label }: { label: string }) {
  return (
    <button type="button" className="secondary" onClick={() => window.print()}>
      {label}
    </button>
  );
}
