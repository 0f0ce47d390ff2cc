import { describeDuration } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { useNow } from '../hooks/useNow';

/**
 * How long an object has been failing: `for 3 h 20 min`. The exact start is in the `time` element for assistive
 * technology; pages that show the start itself put it beside this.
 */
export function FailingFor(props: { since: string; prefix?: string }) {
  const now = useNow();
  const since = new Date(props.since).getTime();
  return (
    <time dateTime={props.since} data-testid="failing-for">
      {props.prefix ?? 'for'} {describeDuration(Math.max(0, now - since))}
    </time>
  );
}
