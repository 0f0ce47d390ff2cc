import {
  StatusError,
  StatusOK,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { SyncRun } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';

function seconds(durationMs?: number) {
  return durationMs === undefined
    ? ''
    : ` in ${(durationMs / 1000).toFixed(1)} s`;
}

/** The outcome of one sync run: how it ended, what it changed and, if it failed, why. */
export function SyncRunOutcome({ run }: { run: SyncRun }) {
  const changes = `${run.listed} listed, ${run.inserted} new, ${run.updated} changed, ${run.deleted} gone`;
  switch (run.status) {
    case 'running':
      return <StatusRunning>running</StatusRunning>;
    case 'succeeded':
      return (
        <StatusOK>
          succeeded{seconds(run.durationMs)}: {changes}
        </StatusOK>
      );
    case 'partial':
      return (
        <StatusWarning>
          partial{seconds(run.durationMs)}: {changes}
          {run.error ? ` (${run.error})` : ''}
        </StatusWarning>
      );
    case 'interrupted':
      return (
        <StatusWarning>
          interrupted:{' '}
          {run.error ?? 'the backend stopped before the sync finished'}
        </StatusWarning>
      );
    default:
      return (
        <StatusError>failed: {run.error ?? 'no reason given'}</StatusError>
      );
  }
}
