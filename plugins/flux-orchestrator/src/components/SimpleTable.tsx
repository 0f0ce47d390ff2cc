import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { ReactNode } from 'react';

/** A small table of a resource page's card, whose long words wrap rather than widen the card. */
export function SimpleTable(props: {
  label: string;
  headers: string[];
  rows: ReactNode[][];
  testId?: string;
}) {
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          {props.headers.map(h => (
            <TableCell key={h}>{h}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map((cells, row) => (
          <TableRow key={row} data-testid={props.testId}>
            {cells.map((cell, column) => (
              <TableCell
                key={column}
                style={{ wordBreak: 'normal', overflowWrap: 'break-word' }}
              >
                {cell}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
