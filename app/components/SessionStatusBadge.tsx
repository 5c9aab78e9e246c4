import { useTranslations } from 'next-intl';
import type { TSessionStatus } from '@/lib/shared/domain';

const TONE = { scheduled: 'neutral', live: 'ok', suspended: 'warn', closed: 'neutral', cancelled: 'danger' } as const satisfies Record<TSessionStatus, string>;

/** A session's status as a badge: the same words and colours on every page that shows it. */
export function SessionStatusBadge({ status }: { status: TSessionStatus }) {
  const t = useTranslations('sessionStatus');
  return (
    <span className={`badge ${TONE[status]}`} data-session-status={status}>
      {t(status)}
    </span>
  );
}
