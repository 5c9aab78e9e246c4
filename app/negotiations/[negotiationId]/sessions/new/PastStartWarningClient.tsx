'use client';

import { useTranslations } from 'next-intl';
import { useState, type ReactNode } from 'react';

/**
 * S88: says at once when the chosen start has already passed (the server refuses it too). The
 * datetime field inside is read as the browser's local time, the zone the server was told.
 */
export function PastStartWarning({ children }: { children: ReactNode }) {
  const t = useTranslations('schedule');
  const [past, setPast] = useState(false);
  return (
    <div
      className="stack"
      onInput={(event) => {
        const input = event.target as HTMLInputElement;
        if (input.type !== 'datetime-local') return;
        const chosen = new Date(input.value).getTime();
        setPast(Number.isFinite(chosen) && chosen < Date.now() - 60_000);
      }}
    >
      {children}
      <p className="alert warn" role="status" hidden={!past}>
        {past && t('pastWarning')}
      </p>
    </div>
  );
}
