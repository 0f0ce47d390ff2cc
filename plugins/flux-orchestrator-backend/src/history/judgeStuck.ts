import { Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  describeDuration,
  FLUX_KINDS,
  FluxResource,
  StuckReason,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { readDuration } from '../sync/readSyncSettings';

/** `fluxOrchestrator.stuck`: when an object is judged stuck. Zero turns a judgement off. */
export interface StuckThresholds {
  /** Progressing for longer than this many of its intervals (default 5). */
  progressingIntervals: number;
  /** A reconcile request Flux has not handled after this long (default 10 minutes). */
  unhandledRequestMs: number;
  /** A source whose artifact is older than this many of its intervals (default 0: off). */
  artifactAgeIntervals: number;
  /** Suspended for longer than this (default 7 days). */
  suspendedMs: number;
}

function readMultiple(
  config: Config | undefined,
  key: string,
  fallback: number,
) {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new Error(
      `fluxOrchestrator.stuck.${key}: must be a number of intervals, 0 or more (0 turns the judgement off), got ${value}`,
    );
  }
  return value;
}

export function readStuckThresholds(root: Config): StuckThresholds {
  const config = root.getOptionalConfig('fluxOrchestrator.stuck');
  return {
    progressingIntervals: readMultiple(config, 'progressingIntervals', 5),
    unhandledRequestMs: durationToMilliseconds(
      readDuration(config, 'unhandledRequestAfter', { minutes: 10 }),
    ),
    artifactAgeIntervals: readMultiple(config, 'artifactAgeIntervals', 0),
    suspendedMs: durationToMilliseconds(
      readDuration(config, 'suspendedFor', { days: 7 }),
    ),
  };
}

/** The kinds that produce artifacts, whose age the stale-artifact judgement reads. */
export const SOURCE_KINDS: readonly string[] = FLUX_KINDS.filter(
  definition => definition.family === 'source',
).map(definition => definition.kind);

function ago(since: string, now: number) {
  return describeDuration(now - Date.parse(since));
}

/** How many intervals `ms` is, to one decimal where it matters: `3`, `2.5`. */
function times(ms: number, intervalMs: number) {
  const n = ms / intervalMs;
  return n >= 10 ? String(Math.floor(n)) : String(Math.floor(n * 10) / 10);
}

/**
 * Why an object is stuck, judged from what the store holds of it at `now`: each judgement that holds, with the
 * moment it rests on and the figures in words. None when the object is not stuck.
 */
export function judgeStuck(
  resource: FluxResource,
  thresholds: StuckThresholds,
  now: number,
): StuckReason[] {
  const reasons: StuckReason[] = [];
  const interval = resource.intervalMs;
  const { statusSince } = resource;
  if (
    thresholds.progressingIntervals > 0 &&
    resource.status === 'progressing' &&
    interval &&
    statusSince &&
    now - Date.parse(statusSince) > thresholds.progressingIntervals * interval
  ) {
    reasons.push({
      reason: 'progressing',
      since: statusSince,
      message: `Progressing for ${ago(statusSince, now)}, ${times(
        now - Date.parse(statusSince),
        interval,
      )} times its interval of ${describeDuration(interval)}`,
    });
  }
  const requested = resource.reconcileRequestedAt;
  if (
    thresholds.unhandledRequestMs > 0 &&
    requested &&
    !resource.suspended &&
    now - Date.parse(requested) > thresholds.unhandledRequestMs
  ) {
    reasons.push({
      reason: 'request-unhandled',
      since: requested,
      message: `A reconcile was requested ${ago(
        requested,
        now,
      )} ago and Flux has not handled it`,
    });
  }
  const artifact = resource.artifactUpdatedAt;
  if (
    thresholds.artifactAgeIntervals > 0 &&
    SOURCE_KINDS.includes(resource.kind) &&
    !resource.suspended &&
    artifact &&
    interval &&
    now - Date.parse(artifact) > thresholds.artifactAgeIntervals * interval
  ) {
    reasons.push({
      reason: 'stale-artifact',
      since: artifact,
      message: `Its artifact last changed ${ago(artifact, now)} ago, ${times(
        now - Date.parse(artifact),
        interval,
      )} times its interval of ${describeDuration(interval)}`,
    });
  }
  // A suspension with an end still to come was meant to last: the portal resumes it then.
  const until = resource.suspension?.until;
  if (
    thresholds.suspendedMs > 0 &&
    resource.status === 'suspended' &&
    statusSince &&
    !(until && Date.parse(until) > now) &&
    now - Date.parse(statusSince) > thresholds.suspendedMs
  ) {
    reasons.push({
      reason: 'suspended',
      since: statusSince,
      message: `Suspended for ${ago(statusSince, now)}`,
    });
  }
  return reasons;
}
