/** Milliseconds that `zone`'s wall clock is ahead of UTC at the instant `ms`. */
function zoneOffset(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which the wall clock of `zone` shows `local` (`YYYY-MM-DDTHH:mm`, as a
 * datetime-local input gives it), or null when `local` is not such a value.
 */
export function wallClockToInstant(local: string, zone: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return null;
  const asIfUtc = Date.parse(`${local}:00Z`);
  if (Number.isNaN(asIfUtc)) return null;
  const first = asIfUtc - zoneOffset(asIfUtc, zone);
  // Near a daylight-saving change the offset at the guess can differ; one correction settles it.
  const second = asIfUtc - zoneOffset(first, zone);
  return second;
}
