import {
  FluxResource,
  ResourceActionResult,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Snackbar from '@material-ui/core/Snackbar';
import {
  createContext,
  ReactNode,
  useCallback,
  useContext,
  useState,
} from 'react';
import { ResourceAction } from '../api/runResourceAction';
import { ACTION_LABELS } from './actionAvailability';
import { ActionResultsDialog } from './ActionResultsDialog';

/** What an action did: a result per object for a dialog, or one sentence for a snackbar. */
export type ActionReport =
  | {
      action: ResourceAction;
      results: ResourceActionResult[];
      resources: FluxResource[];
    }
  | { notice: string };

const ActionReportContext = createContext<
  ((report: ActionReport) => void) | undefined
>(undefined);

/**
 * Shows the reports of the action buttons inside it. The reports live here rather than in the buttons: an
 * action reloads the list, and the rows (or the whole selection) it acted on may be gone from the reloaded
 * list, taking their buttons with them. Place it around something that outlives the reload: the table.
 */
export function ActionReports(props: { children: ReactNode }) {
  const [results, setResults] =
    useState<Exclude<ActionReport, { notice: string }>>();
  const [notice, setNotice] = useState<string>();
  const report = useCallback((next: ActionReport) => {
    if ('notice' in next) setNotice(next.notice);
    else setResults(next);
  }, []);
  return (
    <ActionReportContext.Provider value={report}>
      {props.children}
      {results && (
        <ActionResultsDialog
          title={ACTION_LABELS[results.action]}
          results={results.results}
          resources={results.resources}
          onClose={() => setResults(undefined)}
        />
      )}
      <Snackbar
        open={!!notice}
        message={notice}
        autoHideDuration={5000}
        onClose={() => setNotice(undefined)}
      />
    </ActionReportContext.Provider>
  );
}

/** Reports an action's outcome to the nearest ActionReports. */
export function useActionReport(): (report: ActionReport) => void {
  const report = useContext(ActionReportContext);
  if (!report)
    throw new Error(
      'Action buttons must be inside <ActionReports>, which shows what they did',
    );
  return report;
}
