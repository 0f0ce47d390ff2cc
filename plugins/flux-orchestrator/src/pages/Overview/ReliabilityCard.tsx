import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  RELIABILITY_WINDOWS,
  ReliabilityFigures,
  ReliabilityWindow,
  describeDuration,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { useState } from 'react';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { BackendErrorPanel } from '../../components/BackendErrorPanel';
import { RefreshFailedWarning } from '../../components/RefreshFailedWarning';
import { listRelevance } from '../../hooks/useFluxRefresh';
import { useLiveAsync } from '../../hooks/useLiveAsync';
import { SimpleTable } from '../../components/SimpleTable';

const WINDOW_LABELS: Record<ReliabilityWindow, string> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
};

function mttr(figures: ReliabilityFigures): string {
  return figures.meanTimeToRecoveryMs === undefined
    ? '—'
    : describeDuration(figures.meanTimeToRecoveryMs);
}

function count(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Failures and mean time to recovery over a window, per cluster and per kind: how often the fleet breaks and how
 * long it stays broken, which no single cluster remembers.
 */
export function ReliabilityCard() {
  const api = useApi(fluxOrchestratorApiRef);
  const [window, setWindow] = useState<ReliabilityWindow>('7d');
  const figures = useLiveAsync(
    () => api.getReliability(window),
    [api, window],
    {
      relevant: listRelevance(undefined),
    },
  );
  const value = figures.value;
  const totals = value?.totals;
  return (
    <InfoCard
      title="Failures and recovery"
      subheader={
        totals
          ? `${count(totals.failures, 'failure', 'failures')}, ${count(
              totals.recoveries,
              'recovery',
              'recoveries',
            )}, mean time to recovery ${mttr(totals)}`
          : undefined
      }
      action={
        <TextField
          select
          size="small"
          variant="outlined"
          label="Window"
          value={window}
          onChange={event => setWindow(event.target.value as ReliabilityWindow)}
          // The id ties the label to the select, whose name is then "Window Last 7 days": label and value.
          id="reliability-window"
        >
          {RELIABILITY_WINDOWS.map(w => (
            <MenuItem key={w} value={w}>
              {WINDOW_LABELS[w]}
            </MenuItem>
          ))}
        </TextField>
      }
    >
      {figures.error && !value && <BackendErrorPanel error={figures.error} />}
      {!figures.error && !value && <Skeleton variant="rect" height={80} />}
      {value && (
        <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
          <RefreshFailedWarning error={figures.error} what="the figures" />
          {Date.parse(value.from) < Date.parse(value.keptSince) && (
            <Typography variant="body2" color="textSecondary">
              Status changes are kept since{' '}
              {new Date(value.keptSince).toLocaleString()}; earlier ones are not
              counted.
            </Typography>
          )}
          {!value.totals.failures && !value.totals.recoveries ? (
            <Typography variant="body2" data-testid="no-failures">
              No object turned failing or recovered in this window.
            </Typography>
          ) : (
            <>
              <SimpleTable
                label="Failures by cluster"
                testId="reliability-cluster-row"
                headers={[
                  'Cluster',
                  'Failures',
                  'Recovered',
                  'Mean time to recovery',
                ]}
                rows={value.byCluster.map(c => [
                  c.cluster,
                  c.failures,
                  c.recoveries,
                  mttr(c),
                ])}
              />
              <SimpleTable
                label="Failures by kind"
                testId="reliability-kind-row"
                headers={[
                  'Kind',
                  'Failures',
                  'Recovered',
                  'Mean time to recovery',
                ]}
                rows={value.byKind.map(k => [
                  k.kind,
                  k.failures,
                  k.recoveries,
                  mttr(k),
                ])}
              />
            </>
          )}
        </Box>
      )}
    </InfoCard>
  );
}
