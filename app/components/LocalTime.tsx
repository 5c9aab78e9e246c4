import { getFormatter, getTimeZone } from 'next-intl/server';

/** A moment shown in the viewer's time zone, with a machine-readable datetime for assistive tech. */
export async function LocalTime({ at, withZone = true }: { at: number; withZone?: boolean }) {
  const format = await getFormatter();
  const timeZone = await getTimeZone();
  const date = new Date(at);
  return (
    <time dateTime={date.toISOString()}>
      {format.dateTime(date, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        ...(withZone ? { timeZoneName: 'short' } : {}),
      })}
      <span className="visually-hidden"> ({timeZone})</span>
    </time>
  );
}
