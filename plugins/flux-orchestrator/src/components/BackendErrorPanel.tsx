import { WarningPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import { errorMessageOf } from '../api/fieldErrors';

/**
 * A failed request, with the backend's own sentence in plain sight (`Not allowed: flux-orchestrator.read`,
 * `connect ECONNREFUSED …`); ResponseErrorPanel would fold it away behind "Request failed with 403".
 */
export function BackendErrorPanel(props: { error: Error; title?: string }) {
  const status =
    props.error instanceof ResponseError
      ? ` (${props.error.response.status})`
      : '';
  return (
    <WarningPanel
      severity="error"
      title={
        props.title ? `${props.title}${status}` : errorMessageOf(props.error)
      }
      message={props.title ? errorMessageOf(props.error) : undefined}
      defaultExpanded
    />
  );
}
