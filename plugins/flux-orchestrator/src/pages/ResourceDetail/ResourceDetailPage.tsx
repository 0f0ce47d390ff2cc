import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  FluxResourceDetail,
  ResourceActionResult,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { errorMessageOf } from '../../api/fieldErrors';
import { ResourceAction } from '../../api/runResourceAction';
import { ActionButtons } from '../../components/ActionButtons';
import { ActionReports } from '../../components/ActionReports';
import { BackendErrorPanel } from '../../components/BackendErrorPanel';
import {
  ConditionsTable,
  conditionsOf,
} from '../../components/ConditionsTable';
import { DataAge } from '../../components/DataAge';
import { FailingFor } from '../../components/Duration';
import { Fact } from '../../components/Fact';
import { RefreshFailedWarning } from '../../components/RefreshFailedWarning';
import { RelativeTime } from '../../components/RelativeTime';
import { sourceIdOf } from '../../components/resourceText';
import { StatusChip } from '../../components/StatusChip';
import { concernsObject, FluxSignal } from '../../hooks/useFluxRefresh';
import { useLiveAsync } from '../../hooks/useLiveAsync';
import {
  ReconcileTracking,
  useReconcileTracking,
} from '../../hooks/useReconcileTracking';
import { useFluxLinks } from '../../routes';
import { buildDependencyGraph } from './dependencyGraph';
import { DependencyGraphView } from './DependencyGraphView';
import { dependsOnIds } from './dependsOn';
import {
  ActionHistorySection,
  EventsSection,
  InventorySection,
  ResourceLinks,
  YamlSection,
} from './sections';
import { FluxOwnHistory, StatusTimeline } from './StatusHistory';

function ReconcileProgress({ tracking }: { tracking?: ReconcileTracking }) {
  if (!tracking) return null;
  return (
    <Box display="inline-flex" alignItems="center" style={{ gap: 8 }}>
      <Chip
        size="small"
        color={tracking.phase === 'Handled' ? 'primary' : 'default'}
        label={<span data-testid="reconcile-state">{tracking.phase}</span>}
      />
      <Typography variant="caption" color="textSecondary">
        {tracking.phase === 'Requested' &&
          'waiting for the controller to pick up the request…'}
        {tracking.phase === 'Not handled yet' &&
          'the controller has not handled the request after a minute; is it running?'}
        {tracking.error && ` (last check failed: ${tracking.error})`}
      </Typography>
    </Box>
  );
}

function StatusSummary({ resource }: { resource: FluxResourceDetail }) {
  const behind =
    resource.generation !== undefined &&
    resource.observedGeneration !== undefined &&
    resource.generation > resource.observedGeneration;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 24 }}>
      <Fact label="Status">
        <StatusChip status={resource.status} />
      </Fact>
      <Fact label="Reason">{resource.reason ?? '—'}</Fact>
      <Fact label="Ready">{resource.ready}</Fact>
      <Fact label="Suspended">
        {resource.suspended ? 'yes' : 'no'}
        {resource.suspended && resource.suspension?.by && (
          <> by {resource.suspension.by}</>
        )}
        {resource.suspended && resource.suspension?.at && (
          <>
            , <RelativeTime time={resource.suspension.at} />
          </>
        )}
      </Fact>
      {resource.suspended && resource.suspension?.reason && (
        <Fact label="Why suspended">
          <span data-testid="suspension-reason">
            {resource.suspension.reason}
          </span>
        </Fact>
      )}
      {resource.suspended && resource.suspension?.until && (
        <Fact label="Resumes">
          <RelativeTime time={resource.suspension.until} />
        </Fact>
      )}
      <Fact label="Last reconcile">
        <RelativeTime time={resource.lastReconcileAt} />
      </Fact>
      {resource.failingSince && (
        <Fact label="Failing since">
          <RelativeTime time={resource.failingSince} /> (
          <FailingFor since={resource.failingSince} />)
        </Fact>
      )}
      <Fact label="Generation (observed)">
        {resource.generation ?? '—'} ({resource.observedGeneration ?? '—'})
        {behind && ' — not reconciled yet'}
      </Fact>
      <Fact label="Applied revision">{resource.revision ?? '—'}</Fact>
      <Fact label="Attempted revision">
        {resource.attemptedRevision ?? resource.revision ?? '—'}
      </Fact>
    </Box>
  );
}

/** One Flux object: status, conditions, message, relations, inventory, events, YAML, history and actions. */
export function ResourceDetailPage() {
  const { id = '' } = useParams();
  const api = useApi(fluxOrchestratorApiRef);
  const links = useFluxLinks();
  // The uid comes with the object; the signal's relevance is asked later, when one arrives.
  const uid = useRef<string>();
  const relevant = (signal: FluxSignal) => concernsObject(signal, uid.current);
  const resource = useLiveAsync(() => api.getResource(id), [api, id], {
    relevant,
  });
  uid.current = resource.value?.uid;
  const dependents = useLiveAsync(
    () => api.listResourceDependents(id),
    [api, id],
    { relevant },
  );
  // Counts what this page saw change (an action ran, the controller handled a reconcile), so that events and
  // the action history reload at once, not only when a signal or the poll comes.
  const [changes, setChanges] = useState(0);
  const { tracking, track } = useReconcileTracking(id, {
    onHandled: () => {
      resource.retry();
      setChanges(n => n + 1);
    },
  });

  if (resource.error && !resource.value)
    return <BackendErrorPanel error={resource.error} />;
  if (!resource.value) return <Progress />;
  const r = resource.value;
  const sourceId = sourceIdOf(r);
  const hasOwnHistory = r.kind === 'Kustomization' || r.kind === 'HelmRelease';

  function actionDone(action: ResourceAction, results: ResourceActionResult[]) {
    if (action !== 'suspend' && results[0]) track(results[0]);
    resource.retry();
    setChanges(n => n + 1);
  }

  return (
    <Grid container spacing={3}>
      {resource.error && (
        <Grid item xs={12}>
          <RefreshFailedWarning error={resource.error} what="the object" />
        </Grid>
      )}
      <Grid item xs={12} data-testid="resource-header">
        <InfoCard
          title={`${r.kind} ${r.namespace}/${r.name}`}
          subheader={
            // One span: the card lays its subheader out as a flex row, which would drop the spaces between parts.
            <span>
              on{' '}
              {links ? (
                // Underlined: a link inside a line of text is told apart by more than its colour.
                <Link to={links.cluster(r.cluster)} underline="always">
                  {r.cluster}
                </Link>
              ) : (
                r.cluster
              )}{' '}
              · {r.apiVersion} · <DataAge syncedAt={r.syncedAt} />
            </span>
          }
        >
          <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 16 }}
            >
              <ActionReports>
                <ActionButtons
                  mode="detail"
                  resources={[r]}
                  onDone={actionDone}
                />
              </ActionReports>
              <ReconcileProgress tracking={tracking} />
            </Box>
            {r.stuck?.map(judgement => (
              <Alert
                key={judgement.reason}
                severity="warning"
                data-testid="stuck-alert"
              >
                Stuck: {judgement.message}.
              </Alert>
            ))}
            <StatusSummary resource={r} />
            <Box>
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                Message
              </Typography>
              <Typography
                variant="body2"
                component="pre"
                data-testid="resource-message"
                style={{
                  whiteSpace: 'pre-wrap',
                  wordBreak: 'normal',
                  overflowWrap: 'break-word',
                  margin: 0,
                  fontFamily: 'inherit',
                }}
              >
                {r.message ?? 'No message.'}
              </Typography>
            </Box>
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={8}>
        <InfoCard title="Conditions">
          <ConditionsTable conditions={conditionsOf(r.object)} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={4}>
        <InfoCard title="Relations">
          <Typography variant="subtitle2">Source</Typography>
          <ResourceLinks
            ids={sourceId ? [sourceId] : []}
            href={links?.resource}
            none="No source reference."
          />
          <Typography variant="subtitle2" style={{ marginTop: 12 }}>
            Depends on
          </Typography>
          <ResourceLinks
            ids={dependsOnIds(r, r.object)}
            href={links?.resource}
            none="Nothing."
          />
          <Typography variant="subtitle2" style={{ marginTop: 12 }}>
            Dependents
          </Typography>
          {dependents.error ? (
            <Typography variant="body2" color="error">
              {errorMessageOf(dependents.error)}
            </Typography>
          ) : (
            <ResourceLinks
              ids={dependents.value?.map(d => d.id) ?? []}
              href={links?.resource}
              none={dependents.value ? 'Nothing depends on it.' : 'Loading…'}
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Dependency graph"
          subheader="Its source and dependencies, what depends on it, and what it applied"
        >
          <div data-testid="dependency-graph">
            <DependencyGraphView
              {...buildDependencyGraph(r, dependents.value ?? [])}
              href={links?.resource}
            />
          </div>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Grid container spacing={3} data-testid="history-cards">
          <Grid item xs={12} lg={hasOwnHistory ? 6 : 12}>
            <InfoCard
              title="Status history"
              subheader="Every change of its status the portal saw"
            >
              <StatusTimeline
                id={id}
                uid={resource.value?.uid}
                reloadKey={changes}
              />
            </InfoCard>
          </Grid>
          {hasOwnHistory && (
            <Grid item xs={12} lg={6}>
              <InfoCard
                title="Flux’s own history"
                subheader={
                  r.kind === 'HelmRelease'
                    ? 'The releases helm-controller records in status.history'
                    : 'The revisions kustomize-controller records in status.history'
                }
              >
                <FluxOwnHistory resource={r} />
              </InfoCard>
            </Grid>
          )}
        </Grid>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Events">
          <EventsSection
            id={id}
            uid={resource.value?.uid}
            reloadKey={changes}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={6}>
        <InfoCard title="Inventory">
          <InventorySection resource={r} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={6}>
        <InfoCard title="Action history">
          <ActionHistorySection
            id={id}
            uid={resource.value?.uid}
            reloadKey={changes}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="YAML">
          <YamlSection resource={r} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
