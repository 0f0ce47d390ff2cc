import { useApi } from '@backstage/core-plugin-api';
import {
  FluxResource,
  fluxResourceReconcilePermission,
  fluxResourceSuspendPermission,
  ResourceActionResult,
} from '@internal/plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import IconButton from '@material-ui/core/IconButton';
import Snackbar from '@material-ui/core/Snackbar';
import Tooltip from '@material-ui/core/Tooltip';
import CachedIcon from '@material-ui/icons/Cached';
import PauseIcon from '@material-ui/icons/PauseCircleOutline';
import PlayIcon from '@material-ui/icons/PlayCircleOutline';
import SyncIcon from '@material-ui/icons/Sync';
import { ReactElement, useState } from 'react';
import { fluxOrchestratorApiRef } from '../api/FluxOrchestratorApi';
import { errorMessageOf } from '../api/fieldErrors';
import { ResourceAction, runResourceAction } from '../api/runResourceAction';
import { useFluxPermission } from '../hooks/useFluxPermission';
import { ACTION_LABELS, actionTargets, actionUnavailableReason } from './actionAvailability';
import { ActionResultsDialog } from './ActionResultsDialog';
import { ConfirmDialog } from './ConfirmDialog';
import { describeResource } from './resourceText';

const ICONS: Record<ResourceAction, ReactElement> = {
  reconcile: <SyncIcon fontSize="small" />,
  reconcileWithSource: <CachedIcon fontSize="small" />,
  suspend: <PauseIcon fontSize="small" />,
  resume: <PlayIcon fontSize="small" />,
};

/**
 * - `bulk`: text buttons for a selection; every action asks for confirmation and ends with a result per object.
 * - `row`: icon buttons for one table row; acts at once.
 * - `detail`: text buttons for one object's page; acts at once.
 */
type ActionButtonsMode = 'bulk' | 'row' | 'detail';

/** Which actions a mode offers: one object shows Suspend or Resume by its state, a selection both. */
function actionsFor(mode: ActionButtonsMode, resources: FluxResource[]): ResourceAction[] {
  if (mode === 'bulk') return ['reconcile', 'reconcileWithSource', 'suspend', 'resume'];
  return ['reconcile', 'reconcileWithSource', resources[0]?.suspended ? 'resume' : 'suspend'];
}

/** Reconcile, Reconcile with source, Suspend and Resume for one object or a selection. */
export function ActionButtons(props: {
  resources: FluxResource[];
  mode: ActionButtonsMode;
  /** Called after an action ran, with the result per object, so the caller can refresh or follow up. */
  onDone?(action: ResourceAction, results: ResourceActionResult[]): void;
}) {
  const { resources, mode, onDone } = props;
  const api = useApi(fluxOrchestratorApiRef);
  const reconcilePermission = useFluxPermission(fluxResourceReconcilePermission);
  const suspendPermission = useFluxPermission(fluxResourceSuspendPermission);
  const [pending, setPending] = useState<ResourceAction>();
  const [running, setRunning] = useState<ResourceAction>();
  const [finished, setFinished] = useState<{ action: ResourceAction; results: ResourceActionResult[] }>();
  const [notice, setNotice] = useState<string>();

  const permissionOf = (action: ResourceAction) =>
    action === 'suspend' || action === 'resume' ? suspendPermission : reconcilePermission;

  async function run(action: ResourceAction) {
    const targets = actionTargets(action, resources);
    setRunning(action);
    let results: ResourceActionResult[];
    try {
      results = await runResourceAction(api, action, targets.map(r => r.id));
    } catch (error) {
      // The whole request failed (permission denied, backend down): every object shares the one reason.
      results = targets.map(r => ({
        id: r.id,
        action: action === 'reconcileWithSource' ? 'reconcile' : action,
        ok: false,
        error: errorMessageOf(error),
      }));
    }
    setRunning(undefined);
    setPending(undefined);
    const failed = results.some(r => !r.ok);
    if (mode === 'bulk' || failed) setFinished({ action, results });
    else setNotice(`${ACTION_LABELS[action]} requested for ${targets.map(describeResource).join(', ')}`);
    onDone?.(action, results);
  }

  function start(action: ResourceAction) {
    if (mode === 'bulk') setPending(action);
    else run(action);
  }

  const pendingTargets = pending ? actionTargets(pending, resources) : [];

  return (
    <Box display="inline-flex" alignItems="center" style={{ gap: 4 }} flexWrap="wrap">
      {actionsFor(mode, resources).map(action => {
        const permission = permissionOf(action);
        const reason = actionUnavailableReason(action, resources, permission.deniedReason);
        const disabled = !!reason || permission.loading || !!running;
        const label = ACTION_LABELS[action];
        const busy = running === action;
        const button =
          mode === 'row' ? (
            <IconButton size="small" aria-label={label} disabled={disabled} onClick={() => start(action)}>
              {busy ? <CircularProgress size={16} /> : ICONS[action]}
            </IconButton>
          ) : (
            <Button
              size="small"
              variant="outlined"
              color="primary"
              disabled={disabled}
              startIcon={busy ? <CircularProgress size={16} /> : ICONS[action]}
              onClick={() => start(action)}
            >
              {label}
            </Button>
          );
        // A disabled button fires no mouse events, so the tooltip hangs on a wrapper.
        return (
          <Tooltip key={action} title={reason ?? (mode === 'row' ? label : '')}>
            <span>{button}</span>
          </Tooltip>
        );
      })}
      <ConfirmDialog
        open={!!pending}
        title={pending ? `${ACTION_LABELS[pending]} ${pendingTargets.length} object${pendingTargets.length === 1 ? '' : 's'}?` : ''}
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
          {pendingTargets.length > 20 && <li>and {pendingTargets.length - 20} more</li>}
        </ul>
      </ConfirmDialog>
      {finished && (
        <ActionResultsDialog
          title={ACTION_LABELS[finished.action]}
          results={finished.results}
          resources={resources}
          onClose={() => setFinished(undefined)}
        />
      )}
      <Snackbar
        open={!!notice}
        message={notice}
        autoHideDuration={5000}
        onClose={() => setNotice(undefined)}
      />
    </Box>
  );
}
