import { FluxStatus } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';

/** What the store knew of an object before a write. */
export interface PreviousState {
  status: FluxStatus;
  /** The start of its current failure, if it is in one. */
  failingSince?: Date;
  /** When it took its status. */
  statusSince?: Date;
  /** When its row was last written: the old status held then, so a change came after. */
  writtenAt: Date;
}

/** What a write of an object says about its status. */
export interface NextState {
  status: FluxStatus;
  /** The cluster's own time of the change: the deciding condition's `lastTransitionTime`. */
  conditionChangedAt?: string;
}

export interface TransitionJudgement {
  /** The object's `failing_since` after the write. */
  failingSince?: Date;
  /** When the object took the status it has after the write. */
  statusSince: Date;
  /** The change to record; none when the status stayed the same. */
  transition?: {
    from?: FluxStatus;
    to: FluxStatus;
    at: Date;
    opensFailure: boolean;
    recoveryMs?: number;
  };
}

const FAILED: ReadonlySet<FluxStatus> = new Set(['failing', 'stalled']);

/**
 * When the status changed. A poll sees a change minutes late; the condition's own time is exact, and is taken
 * when it is plausible: not before the old status was last seen (else it belongs to an earlier change) and not in
 * the future (the cluster's clock may be ahead).
 */
function timeOfChange(
  previous: PreviousState | undefined,
  next: NextState,
  now: Date,
): Date {
  const stated = next.conditionChangedAt
    ? Date.parse(next.conditionChangedAt)
    : NaN;
  // Kubernetes keeps condition times to the second: a change in the second of the last write is after it.
  const lastSeen = previous
    ? Math.floor(previous.writtenAt.getTime() / 1000) * 1000
    : -Infinity;
  if (Number.isNaN(stated) || stated > now.getTime() || stated < lastSeen) {
    return now;
  }
  // Within that second, never before the status it ends began: the history stays in order.
  const began = previous?.statusSince?.getTime() ?? -Infinity;
  return new Date(Math.max(stated, began));
}

/**
 * Judges one write of an object: whether its status changed, and where its current failure stands. A failure
 * starts when an object turns failing or stalled and ends only when it is ready again; progressing, unknown or
 * suspended in between (a retry, a pause) carry it on, so that a retry loop counts as one failure and its time
 * to recovery is the whole outage.
 */
export function judgeTransition(
  previous: PreviousState | undefined,
  next: NextState,
  now: Date,
): TransitionJudgement {
  const changed = !previous || previous.status !== next.status;
  const at = changed ? timeOfChange(previous, next, now) : now;
  const ongoing = previous?.failingSince;
  let failingSince: Date | undefined;
  let recoveryMs: number | undefined;
  if (FAILED.has(next.status)) {
    failingSince = ongoing ?? at;
  } else if (next.status === 'ready') {
    if (ongoing) recoveryMs = Math.max(0, at.getTime() - ongoing.getTime());
  } else {
    failingSince = ongoing;
  }
  if (!changed)
    return {
      failingSince,
      statusSince: previous.statusSince ?? previous.writtenAt,
    };
  return {
    failingSince,
    statusSince: at,
    transition: {
      from: previous?.status,
      to: next.status,
      at,
      opensFailure: FAILED.has(next.status) && !ongoing,
      recoveryMs,
    },
  };
}
