import { useApi } from '@backstage/core-plugin-api';
import {
  FluxResourceDetail,
  StatusTransition,
  describeDuration,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Skeleton from '@material-ui/lab/Skeleton';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { BackendErrorPanel } from '../../components/BackendErrorPanel';
import { RefreshFailedWarning } from '../../components/RefreshFailedWarning';
import { RelativeTime } from '../../components/RelativeTime';
import { shortRevision } from '../../components/resourceText';
import { StatusChip } from '../../components/StatusChip';
import { concernsObject } from '../../hooks/useFluxRefresh';
import { useLiveAsync } from '../../hooks/useLiveAsync';
import { helmReleaseHistory, kustomizationHistory } from './fluxHistory';
import { SimpleTable } from '../../components/SimpleTable';

const useStyles = makeStyles(theme => ({
  timeline: { listStyle: 'none', margin: 0, padding: 0 },
  entry: {
    position: 'relative',
    paddingLeft: theme.spacing(3),
    paddingBottom: theme.spacing(2),
    borderLeft: `2px solid ${theme.palette.divider}`,
    marginLeft: theme.spacing(1),
    '&:last-child': { borderLeftColor: 'transparent' },
  },
  dot: {
    position: 'absolute',
    left: -7,
    top: 4,
    width: 12,
    height: 12,
    borderRadius: '50%',
    background: theme.palette.background.paper,
    border: `2px solid ${theme.palette.text.secondary}`,
  },
  message: {
    whiteSpace: 'pre-wrap',
    wordBreak: 'normal',
    overflowWrap: 'break-word',
    margin: 0,
    fontFamily: 'inherit',
  },
}));

function TimelineEntry({ transition }: { transition: StatusTransition }) {
  const classes = useStyles();
  const t = transition;
  return (
    <li className={classes.entry} data-testid="transition">
      <span className={classes.dot} aria-hidden />
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <StatusChip status={t.to} />
        <Typography variant="body2" component="span">
          {t.from ? `from ${t.from}` : 'first seen'} ·{' '}
          <RelativeTime time={t.at} />
        </Typography>
        {t.recoveredAfterMs !== undefined && (
          <Typography
            variant="body2"
            component="span"
            data-testid="recovered-after"
          >
            · recovered after {describeDuration(t.recoveredAfterMs)}
          </Typography>
        )}
      </Box>
      {(t.reason || t.revision) && (
        <Typography variant="caption" color="textSecondary" component="div">
          {[t.reason, t.revision && `revision ${shortRevision(t.revision)}`]
            .filter(Boolean)
            .join(' · ')}
        </Typography>
      )}
      {t.message && (
        <Typography variant="body2" component="pre" className={classes.message}>
          {t.message}
        </Typography>
      )}
    </li>
  );
}

/** Every change of the object's status the portal saw, newest first, as a timeline. */
export function StatusTimeline({
  id,
  uid,
  reloadKey,
}: {
  id: string;
  uid?: string;
  reloadKey?: number;
}) {
  const classes = useStyles();
  const api = useApi(fluxOrchestratorApiRef);
  const transitions = useLiveAsync(
    () => api.listResourceTransitions(id),
    [api, id],
    {
      relevant: signal =>
        signal.type !== 'sync-finished' && concernsObject(signal, uid),
      reloadKey,
    },
  );
  if (transitions.error && !transitions.value)
    return <BackendErrorPanel error={transitions.error} />;
  if (!transitions.value) return <Skeleton variant="rect" height={80} />;
  if (!transitions.value.length) {
    return (
      <Typography variant="body2">
        No status changes recorded yet. The portal records every change of an
        object’s status it sees, and keeps them for the configured retention (30
        days by default).
      </Typography>
    );
  }
  return (
    <>
      <RefreshFailedWarning error={transitions.error} what="the history" />
      <ol className={classes.timeline} aria-label="Status history">
        {transitions.value.map((t, index) => (
          <TimelineEntry key={`${t.at}-${index}`} transition={t} />
        ))}
      </ol>
    </>
  );
}

/** The history Flux keeps in the object itself: a HelmRelease's releases, a Kustomization's revisions. */
export function FluxOwnHistory({ resource }: { resource: FluxResourceDetail }) {
  if (resource.kind === 'HelmRelease') {
    const history = helmReleaseHistory(resource.object);
    if (!history.length) return <NoOwnHistory kind={resource.kind} />;
    return (
      <SimpleTable
        label="Release history"
        testId="flux-history-row"
        headers={['Release', 'Chart', 'App version', 'Status', 'Deployed']}
        rows={history.map(h => [
          [h.version ?? '—', h.action && `(${h.action})`]
            .filter(Boolean)
            .join(' '),
          `${h.chartName ?? '?'}@${h.chartVersion ?? '?'}`,
          h.appVersion ?? '—',
          h.status ?? '—',
          <RelativeTime time={h.lastDeployed ?? h.firstDeployed} />,
        ])}
      />
    );
  }
  if (resource.kind === 'Kustomization') {
    const history = kustomizationHistory(resource.object);
    if (!history.length) return <NoOwnHistory kind={resource.kind} />;
    return (
      <SimpleTable
        label="Reconciliation history"
        testId="flux-history-row"
        headers={[
          'Revision',
          'Outcome',
          'Reconciliations',
          'Last took',
          'First',
          'Last',
        ]}
        rows={history.map(h => [
          h.revision ? shortRevision(h.revision) : h.digest ?? '—',
          h.status ?? '—',
          h.totalReconciliations ?? '—',
          h.lastDuration ?? '—',
          <RelativeTime time={h.firstReconciled} />,
          <RelativeTime time={h.lastReconciled} />,
        ])}
      />
    );
  }
  return null;
}

function NoOwnHistory({ kind }: { kind: string }) {
  return (
    <Typography variant="body2">
      This {kind} keeps no history in its status (older Flux API versions do not
      record one).
    </Typography>
  );
}
