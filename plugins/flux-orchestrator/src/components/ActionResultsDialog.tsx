import {
  FluxResource,
  ResourceActionResult,
  parseResourceId,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { StatusError, StatusOK } from '@backstage/core-components';
import { describeResource } from './resourceText';

function nameOf(id: string, resources: FluxResource[]): string {
  const known = resources.find(r => r.id === id);
  if (known) return `${describeResource(known)} on ${known.cluster}`;
  const parsed = parseResourceId(id);
  return parsed ? `${describeResource(parsed)} on ${parsed.cluster}` : id;
}

/** What an action did to each object: the ones that worked and, for the others, the cluster's answer. */
export function ActionResultsDialog(props: {
  title: string;
  results: ResourceActionResult[];
  resources: FluxResource[];
  onClose(): void;
}) {
  const failed = props.results.filter(r => !r.ok).length;
  return (
    <Dialog
      open
      onClose={props.onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="flux-action-results-title"
    >
      <DialogTitle id="flux-action-results-title">
        {props.title}: {props.results.length - failed} succeeded, {failed}{' '}
        failed
      </DialogTitle>
      <DialogContent>
        <Table size="small" aria-label="Action results">
          <TableHead>
            <TableRow>
              <TableCell>Object</TableCell>
              <TableCell>Result</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.results.map(result => (
              <TableRow key={result.id} data-testid="action-result">
                <TableCell>{nameOf(result.id, props.resources)}</TableCell>
                <TableCell>
                  {result.ok ? (
                    <StatusOK>{result.handled ? 'handled' : 'ok'}</StatusOK>
                  ) : (
                    <StatusError>
                      <Typography variant="body2" component="span">
                        {result.error ?? 'failed'}
                      </Typography>
                    </StatusError>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
