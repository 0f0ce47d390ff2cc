import Tooltip from '@material-ui/core/Tooltip';
import { useNow } from '../hooks/useNow';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

const format = new Intl.RelativeTimeFormat('en', {
  numeric: 'auto',
  style: 'long',
});

/** `2 minutes ago`, `in 5 seconds`, `just now`: the largest whole unit between `time` and `now`. */
export function describeRelativeTime(
  time: string | Date,
  now: number = Date.now(),
): string {
  const difference = new Date(time).getTime() - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(difference) >= size)
      return format.format(Math.round(difference / size), unit);
  }
  return 'just now';
}

/** A time relative to now, with the exact time on hover and on keyboard focus. */
export function RelativeTime(props: { time?: string; never?: string }) {
  const now = useNow();
  if (!props.time) return <>{props.never ?? '—'}</>;
  // Focusable, so that keyboard users can reach the exact time the tooltip shows.
  return (
    <Tooltip title={new Date(props.time).toLocaleString()}>
      {/* Focusable so that the exact time in the tooltip is reachable from the keyboard. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <time dateTime={props.time} tabIndex={0}>
        {/* The shared clock only ticks every 15 s: a time written since its last tick is not "in 2 seconds". */}
        {describeRelativeTime(props.time, Math.max(now, Date.now()))}
      </time>
    </Tooltip>
  );
}
