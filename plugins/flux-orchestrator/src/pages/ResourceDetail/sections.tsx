import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  FluxResourceDetail,
  parseResourceId,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { concernsObject } from '../../hooks/useFluxRefresh';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { stringify } from 'yaml';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { RelativeTime } from '../../components/RelativeTime';
import { describeResource } from '../../components/resourceText';
import { useLiveAsync } from '../../hooks/useLiveAsync';
import { parseInventory } from './inventory';
import { SimpleTable } from '../../components/SimpleTable';
import { BackendErrorPanel } from '../../components/BackendErrorPanel';
import { RefreshFailedWarning } from '../../components/RefreshFailedWarning';
import { ACTION_LABELS } from '../../components/actionAvailability';
import { YamlView } from '../../components/YamlView';

/** What the object manages: the inventory of a Kustomization or (Flux 2.8 and later) a HelmRelease. */
export function InventorySection({
  resource,
}: {
  resource: FluxResourceDetail;
}) {
  const entries = parseInventory(resource.object);
  if (resource.kind === 'HelmRelease' && !entries.length) {
    return (
      <Typography variant="body2">
        This HelmRelease records no inventory: helm-controller does since Flux
        2.8; before, a release’s objects are only in Helm’s release storage (a
        Secret per release in the target namespace), which `helm get manifest`
        lists. Its releases are under Flux’s own history.
      </Typography>
    );
  }
  if (resource.kind !== 'Kustomization' && resource.kind !== 'HelmRelease') {
    return (
      <Typography variant="body2">
        A {resource.kind} does not apply objects to the cluster.
      </Typography>
    );
  }
  if (!entries.length)
    return (
      <Typography variant="body2">
        The Kustomization has applied no objects yet.
      </Typography>
    );
  return (
    <SimpleTable
      label="Inventory"
      testId="inventory-row"
      headers={['Kind', 'Namespace', 'Name', 'API version']}
      rows={entries.map(e => [
        e.kind,
        e.namespace || '(cluster)',
        e.name,
        e.group ? `${e.group}/${e.version ?? ''}` : e.version ?? '',
      ])}
    />
  );
}

/** Kubernetes Events about the object: kept live by the cluster's watch, or read from the cluster. */
export function EventsSection({
  id,
  uid,
  reloadKey,
}: {
  id: string;
  uid?: string;
  reloadKey?: number;
}) {
  const api = useApi(fluxOrchestratorApiRef);
  const events = useLiveAsync(() => api.listResourceEvents(id), [api, id], {
    relevant: signal =>
      signal.type !== 'sync-finished' && concernsObject(signal, uid),
    reloadKey,
  });
  if (events.error && !events.value) {
    return (
      <BackendErrorPanel
        title="Events could not be read from the cluster"
        error={events.error}
      />
    );
  }
  if (!events.value) return <Skeleton variant="rect" height={80} />;
  if (!events.value.length) {
    return (
      <Typography variant="body2">
        No events. Kubernetes keeps events for an hour by default, so a quiet
        object has none.
      </Typography>
    );
  }
  return (
    <>
      <RefreshFailedWarning error={events.error} what="the events" />
      <SimpleTable
        label="Events"
        testId="event-row"
        headers={['Type', 'Reason', 'Message', 'Count', 'Last seen']}
        rows={events.value.map(e => [
          e.type,
          e.reason,
          e.message,
          e.count,
          <RelativeTime time={e.lastSeen ?? e.firstSeen} />,
        ])}
      />
    </>
  );
}

/** The actions taken on the object through the console. */
export function ActionHistorySection({
  id,
  uid,
  reloadKey,
}: {
  id: string;
  uid?: string;
  reloadKey?: number;
}) {
  const api = useApi(fluxOrchestratorApiRef);
  const actions = useLiveAsync(() => api.listResourceActions(id), [api, id], {
    relevant: signal => signal.type === 'action' && concernsObject(signal, uid),
    reloadKey,
  });
  if (actions.error && !actions.value)
    return <BackendErrorPanel error={actions.error} />;
  if (!actions.value) return <Skeleton variant="rect" height={80} />;
  if (!actions.value.length)
    return (
      <Typography variant="body2">
        Nobody has acted on this object here yet.
      </Typography>
    );
  return (
    <>
      <RefreshFailedWarning error={actions.error} what="the action history" />
      <SimpleTable
        label="Action history"
        headers={['When', 'Action', 'By', 'Outcome']}
        rows={actions.value.map(a => [
          <RelativeTime time={a.at} />,
          <>
            {
              ACTION_LABELS[
                a.action === 'reconcile' && a.withSource
                  ? 'reconcileWithSource'
                  : a.action
              ]
            }
            {a.reason && `: ${a.reason}`}
            {a.until && <> (until {new Date(a.until).toLocaleString()})</>}
          </>,
          a.actor,
          a.outcome === 'failed' ? `failed: ${a.error ?? ''}` : a.outcome,
        ])}
      />
    </>
  );
}

/** The whole Kubernetes object as YAML, as the last sync stored it, and what was redacted before storing. */
export function YamlSection({ resource }: { resource: FluxResourceDetail }) {
  return (
    <>
      {resource.redacted.length > 0 && (
        <Typography variant="body2" paragraph data-testid="redacted-notice">
          Values that can hold secrets were removed before this object was
          stored, and show as [redacted]: {resource.redacted.join(', ')}.
        </Typography>
      )}
      <YamlView text={stringify(resource.object)} />
    </>
  );
}

/** Links to other Flux objects, or a sentence when there are none. */
/** `HelmRepository flux-system/bitnami` rather than the raw id; the cluster is the page's own. */
function labelOf(id: string): string {
  const parsed = parseResourceId(id);
  return parsed ? describeResource(parsed) : id;
}

export function ResourceLinks(props: {
  ids: string[];
  href?(id: string): string;
  none: string;
}) {
  if (!props.ids.length)
    return <Typography variant="body2">{props.none}</Typography>;
  return (
    <ul style={{ margin: 0, paddingLeft: 20 }}>
      {props.ids.map(id => (
        <li key={id}>
          {props.href ? (
            <Link to={props.href(id)}>{labelOf(id)}</Link>
          ) : (
            labelOf(id)
          )}
        </li>
      ))}
    </ul>
  );
}
