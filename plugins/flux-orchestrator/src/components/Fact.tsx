import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

/** A labelled value in a row of facts about a cluster or an object (`Kubernetes v1.33.1`). */
export function Fact(props: { label: string; children: ReactNode }) {
  return (
    <Box minWidth={80}>
      <Typography variant="caption" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography variant="body2" component="div">
        {props.children}
      </Typography>
    </Box>
  );
}
