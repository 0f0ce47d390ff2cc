import {
  FLUX_STATUSES,
  StatusCounts,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { StatusChip } from './StatusChip';

/** Counts by status as chips, the statuses with none left out. */
export function StatusCountChips(props: { counts: StatusCounts }) {
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 12 }}
      aria-label="Counts by status"
    >
      {FLUX_STATUSES.filter(s => props.counts[s] > 0).map(status => (
        <Box key={status} display="flex" alignItems="center" style={{ gap: 4 }}>
          <StatusChip status={status} />
          <Typography variant="body2">{props.counts[status]}</Typography>
        </Box>
      ))}
    </Box>
  );
}
