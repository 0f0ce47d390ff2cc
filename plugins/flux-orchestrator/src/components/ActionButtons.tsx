import { useApi } from '@backstage/core-plugin-api';
import {
  FluxResource,
  fluxResourceReconcilePermission,
  fluxResourceSuspendPermission,
  ResourceActionResult,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import CircularProgress from '@material-ui/core/CircularProgress';
import CachedIcon from '@material-ui/icons/Cached';
import FlashOnIcon from '@material-ui/icons/FlashOn';
import PauseIcon from '@material-ui/icons/PauseCircleOutline';
import PlayIcon from '@material-ui/icons/PlayCircleOutline';
import RestoreIcon from '@material-ui/icons/SettingsBackupRestore';
import SyncIcon from '@material-ui/icons/Sync';
import { ReactElement, useState } from 'react';
import { fluxOrchestratorApiRef } from '../api/FluxOrchestratorApi';
import {
  ResourceAction,
  runResourceAction,
  SuspendIntent,
} from '../api/runResourceAction';
import { useFluxPermission } from '../hooks/useFluxPermission';
import { useActionReport } from './ActionReports';
import {
  ACTION_LABELS,
  actionTargets,
  actionUnavailableReason,
  offersHelmActions,
} from './actionAvailability';
import { ConfirmDialog } from './ConfirmDialog';
import { GuardedButton } from './GuardedButton';
import { SuspendDialog } from './SuspendDialog';
import { describeResource } from './resourceText';

const ICONS: Record<ResourceAction, ReactElement> = {
  reconcile: <SyncIcon fontSize="small" />,
  reconcileWithSource: <CachedIcon fontSize="small" />,
  suspend: <PauseIcon fontSize="small" />,
  resume: <PlayIcon fontSize="small" />,
  force: <FlashOnIcon fontSize="small" />,
  reset: <RestoreIcon fontSize="small" />,
};

/**
 * - `bulk`: text buttons for a selection; every action asks for confirmation and ends with a result per object.
 * - `row`: icon buttons for one table row; acts at once.
 * - `detail`: text buttons for one object's page; acts at once.
 */
type ActionButtonsMode = 'bulk' | 'row' | 'detail';

/**
 * Which actions a mode offers: one object shows Suspend or Resume by its state, a selection both; a
 * HelmRelease's page and a selection with HelmReleases also offer helm-controller's force and reset.
 */
function actionsFor(
  mode: ActionButtonsMode,
  resources: FluxResource[],
): ResourceAction[] {
  const helm: ResourceAction[] =
    mode !== 'row' && offersHelmActions(resources) ? ['force', 'reset'] : [];
  if (mode === 'bulk')
    return ['reconcile', 'reconcileWithSource', 'suspend', 'resume', ...helm];
  return [
    'reconcile',
    'reconcileWithSource',
    resources[0]?.suspended ? 'resume' : 'suspend',
    ...helm,
  ];
}

/**
 * Reconcile, Reconcile with source, Suspend and Resume (and a HelmRelease's Force upgrade and Reset retries) for
 * one object or a selection. What an action did goes
 * to the enclosing ActionReports, which outlives these buttons when the reload removes their rows.
 */
export function ActionButtons(props: {
  resources: FluxResource[];
  mode: ActionButtonsMode;
  /** Called after an action ran, with the result per object, so the caller can refresh or follow up. */
  onDone?(action: ResourceAction, results: ResourceActionResult[]): void;
}) {
  const { resources, mode, onDone } = props;
  const api = useApi(fluxOrchestratorApiRef);
  const report = useActionReport();
  const ids = resources.map(r => r.id);
  const reconcilePermission = useFluxPermission(
    fluxResourceReconcilePermission,
    ids,
  );
  const suspendPermission = useFluxPermission(
    fluxResourceSuspendPermission,
    ids,
  );
  const [pending, setPending] = useState<ResourceAction>();
  const [running, setRunning] = useState<ResourceAction>();

  const permissionOf = (action: ResourceAction) =>
    action === 'suspend' || action === 'resume'
      ? suspendPermission
      : reconcilePermission;

  async function run(action: ResourceAction, intent?: SuspendIntent) {
    const targets = actionTargets(action, resources);
    setRunning(action);
    const results = await runResourceAction(
      api,
      action,
      targets.map(r => r.id),
      intent,
    );
    setRunning(undefined);
    setPending(undefined);
    if (mode === 'bulk' || results.some(r => !r.ok))
      report({ action, results, resources: targets });
    else
      report({
        notice: `${ACTION_LABELS[action]} requested for ${targets
          .map(describeResource)
          .join(', ')}`,
      });
    onDone?.(action, results);
  }

  // A suspension always asks why (and until when); other actions ask only for a selection.
  function start(action: ResourceAction) {
    if (mode === 'bulk' || action === 'suspend') setPending(action);
    else run(action);
  }

  const pendingTargets = pending ? actionTargets(pending, resources) : [];

  return (
    // A row's icons stay side by side; a narrow cell would otherwise stack them.
    <Box
      display="inline-flex"
      alignItems="center"
      style={{ gap: 4 }}
      flexWrap={mode === 'row' ? 'nowrap' : 'wrap'}
    >
      {actionsFor(mode, resources).map(action => {
        const permission = permissionOf(action);
        return (
          <GuardedButton
            key={action}
            label={ACTION_LABELS[action]}
            reason={actionUnavailableReason(
              action,
              resources,
              permission.deniedReason,
            )}
            busy={permission.loading || !!running}
            icon={
              running === action ? (
                <CircularProgress size={16} />
              ) : (
                ICONS[action]
              )
            }
            iconOnly={mode === 'row'}
            variant="outlined"
            color="primary"
            onClick={() => start(action)}
          />
        );
      })}
      <SuspendDialog
        open={pending === 'suspend'}
        targets={pendingTargets}
        busy={!!running}
        onConfirm={intent => run('suspend', intent)}
        onCancel={() => setPending(undefined)}
      />
      <ConfirmDialog
        open={!!pending && pending !== 'suspend'}
        title={
          pending
            ? `${ACTION_LABELS[pending]} ${pendingTargets.length} object${
                pendingTargets.length === 1 ? '' : 's'
              }?`
            : ''
        }
        confirmLabel="Confirm"
        busy={!!running}
        onConfirm={() => pending && run(pending)}
        onCancel={() => setPending(undefined)}
      >
        <ul>
          {pendingTargets.slice(0, 20).map(r => (
            <li key={r.id}>
              {describeResource(r)} on {r.cluster}
            </li>
          ))}
          {pendingTargets.length > 20 && (
            <li>and {pendingTargets.length - 20} more</li>
          )}
        </ul>
      </ConfirmDialog>
    </Box>
  );
}
