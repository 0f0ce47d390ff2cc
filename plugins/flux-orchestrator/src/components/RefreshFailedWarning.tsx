import Alert from '@material-ui/lab/Alert';
import { errorMessageOf } from '../api/fieldErrors';

/**
 * A reload that failed while older data is on screen: the data stays (it is still the best there is) and this
 * says why it may be out of date. A first load that fails shows BackendErrorPanel instead.
 */
export function RefreshFailedWarning(props: { error?: Error; what?: string }) {
  if (!props.error) return null;
  return (
    <Alert severity="warning" data-testid="refresh-failed">
      Could not refresh {props.what ?? 'the data'}:{' '}
      {errorMessageOf(props.error)}. Showing what was loaded before.
    </Alert>
  );
}
