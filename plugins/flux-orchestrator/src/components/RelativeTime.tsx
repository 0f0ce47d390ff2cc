import Tooltip from '@material-ui/core/Tooltip';
import { useEffect, useState } from 'react';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'long' });

/** `2 minutes ago`, `in 5 seconds`, `just now`: the largest whole unit between `time` and `now`. */
export function describeRelativeTime(time: string | Date, now: number = Date.now()): string {
  const difference = new Date(time).getTime() - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(difference) >= size) return format.format(Math.round(difference / size), unit);
  }
  return 'just now';
}

/** Re-renders every `intervalMs` so that relative times keep counting while a page stays open. */
function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** A time relative to now, with the exact time on hover. */
export function RelativeTime(props: { time?: string; never?: string }) {
  const now = useNow();
  if (!props.time) return <>{props.never ?? '—'}</>;
  return (
    <Tooltip title={new Date(props.time).toLocaleString()}>
      <time dateTime={props.time}>{describeRelativeTime(props.time, now)}</time>
    </Tooltip>
  );
}
