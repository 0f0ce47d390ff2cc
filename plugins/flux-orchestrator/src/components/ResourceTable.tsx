import { EmptyState, Link } from '@backstage/core-components';
import {
  FluxResource,
  Page,
  ResourceSortField,
  Suspension,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Toolbar from '@material-ui/core/Toolbar';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Skeleton from '@material-ui/lab/Skeleton';
import { ReactNode, useEffect, useMemo, useState } from 'react';
import { FluxLinks, useFluxLinks } from '../routes';
import { ActionButtons } from './ActionButtons';
import { ActionReports } from './ActionReports';
import { BackendErrorPanel } from './BackendErrorPanel';
import { DataAge, newestSyncedAt } from './DataAge';
import { RefreshFailedWarning } from './RefreshFailedWarning';
import { RelativeTime } from './RelativeTime';
import {
  PAGE_SIZES,
  pageOfResourceQuery,
  ResourceListQuery,
} from './resourceSearchParams';
import { shortRevision, sourceIdOf } from './resourceText';
import { StatusChip } from './StatusChip';
import { FailingFor } from './Duration';

const FAILED = new Set(['failing', 'stalled']);

const useStyles = makeStyles(theme => ({
  reason: {
    display: 'block',
    color: theme.palette.text.secondary,
    marginTop: 2,
    maxWidth: 180,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  // Long revisions (an image reference, a digest) end in an ellipsis; the whole one is in the tooltip.
  revision: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'nowrap',
    display: 'inline-block',
    maxWidth: 160,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    verticalAlign: 'bottom',
  },
  toolbar: { gap: theme.spacing(2), flexWrap: 'wrap' },
  // The Backstage theme lets table cells break words anywhere, which squeezes a narrow table's columns to one
  // letter per line. Short values and headings stay on one line; names break only at their dashes.
  // A third of Material's 24 px right padding per cell: nine columns fit 1280 px windows.
  table: {
    '& td, & th': {
      wordBreak: 'normal',
      overflowWrap: 'break-word',
      paddingRight: theme.spacing(1),
    },
  },
  nowrap: { whiteSpace: 'nowrap', wordBreak: 'normal' },
}));

interface Column {
  title: string;
  sort?: ResourceSortField;
  /** Short values (kinds, namespaces, times) that read badly when wrapped. */
  nowrap?: boolean;
  render(resource: FluxResource, links: FluxLinks | undefined): ReactNode;
}

/** A link when the app has the page, else the text; `underline` for a link inside a line of text (WCAG 1.4.1). */
function LinkOr(props: {
  to?: string;
  underline?: boolean;
  children: ReactNode;
}) {
  return props.to ? (
    <Link to={props.to} underline={props.underline ? 'always' : undefined}>
      {props.children}
    </Link>
  ) : (
    <>{props.children}</>
  );
}

function StatusCell({ resource }: { resource: FluxResource }) {
  const classes = useStyles();
  // Focusable, so that keyboard users can read the message in the tooltip.
  return (
    <Tooltip title={resource.message ?? ''}>
      {/* Focusable so that the message in the tooltip is reachable from the keyboard. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <span tabIndex={resource.message ? 0 : undefined}>
        <StatusChip status={resource.status} />
        {resource.reason && (
          <Typography
            variant="caption"
            className={classes.reason}
            title={resource.reason}
          >
            {resource.reason}
          </Typography>
        )}
        {resource.failingSince && FAILED.has(resource.status) && (
          <Typography variant="caption" className={classes.reason}>
            <FailingFor since={resource.failingSince} />
          </Typography>
        )}
        {resource.suspended && resource.suspension && (
          <SuspensionNote suspension={resource.suspension} />
        )}
        {resource.stuck && (
          <Typography
            variant="caption"
            className={classes.reason}
            title={resource.stuck.map(j => j.message).join('; ')}
            data-testid="stuck-note"
          >
            stuck: {resource.stuck[0].message}
          </Typography>
        )}
      </span>
    </Tooltip>
  );
}

/** Why an object is suspended and until when, under its status. */
function SuspensionNote({ suspension }: { suspension: Suspension }) {
  const classes = useStyles();
  return (
    <>
      {suspension.reason && (
        <Typography
          variant="caption"
          className={classes.reason}
          title={suspension.reason}
          data-testid="suspension-reason"
        >
          {suspension.reason}
        </Typography>
      )}
      {(suspension.by || suspension.until) && (
        <Typography variant="caption" className={classes.reason}>
          {suspension.by && `by ${suspension.by}`}
          {suspension.by && suspension.until && ', '}
          {suspension.until && (
            <>
              resumes <RelativeTime time={suspension.until} />
            </>
          )}
        </Typography>
      )}
    </>
  );
}

function NamespaceLine({ namespace }: { namespace: string }) {
  const classes = useStyles();
  return (
    <Typography variant="caption" className={classes.reason} title={namespace}>
      {namespace}
    </Typography>
  );
}

function SourceLine(props: {
  resource: FluxResource;
  links: FluxLinks | undefined;
}) {
  const classes = useStyles();
  const { resource, links } = props;
  const sourceId = sourceIdOf(resource);
  if (!sourceId || !resource.sourceRef) return null;
  return (
    <Typography variant="caption" className={classes.reason}>
      from{' '}
      <LinkOr to={links?.resource(sourceId)} underline>
        {`${resource.sourceRef.kind}/${resource.sourceRef.name}`}
      </LinkOr>
    </Typography>
  );
}

function RevisionCell(props: {
  resource: FluxResource;
  links: FluxLinks | undefined;
}) {
  const classes = useStyles();
  const { resource } = props;
  if (!resource.revision)
    return (
      <>
        —<SourceLine {...props} />
      </>
    );
  const attempted =
    resource.attemptedRevision &&
    resource.attemptedRevision !== resource.revision
      ? `, attempted ${resource.attemptedRevision}`
      : '';
  return (
    <>
      <Tooltip title={`${resource.revision}${attempted}`}>
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- the full revision is in the tooltip */}
        <span className={classes.revision} tabIndex={0}>
          {shortRevision(resource.revision)}
        </span>
      </Tooltip>
      <SourceLine {...props} />
    </>
  );
}

const COLUMNS: Column[] = [
  { title: 'Kind', sort: 'kind', nowrap: true, render: r => r.kind },
  // The namespace under the name, as `kubectl get -A` readers look for them together; one column fewer.
  {
    title: 'Name',
    sort: 'name',
    render: (r, links) => (
      <>
        <LinkOr to={links?.resource(r.id)}>{r.name}</LinkOr>
        <NamespaceLine namespace={r.namespace} />
      </>
    ),
  },
  {
    title: 'Cluster',
    sort: 'cluster',
    nowrap: true,
    render: (r, links) => (
      <LinkOr to={links?.cluster(r.cluster)}>{r.cluster}</LinkOr>
    ),
  },
  {
    title: 'Status',
    sort: 'status',
    nowrap: true,
    render: r => <StatusCell resource={r} />,
  },
  // The source under the revision it gave: one column fewer, so that the table fits beside the filters.
  {
    title: 'Revision',
    render: (r, links) => <RevisionCell resource={r} links={links} />,
  },
  {
    title: 'Last reconcile',
    sort: 'lastReconcileAt',
    nowrap: true,
    render: r => <RelativeTime time={r.lastReconcileAt} />,
  },
];

/** "1,204 Flux objects", or "10,000+ Flux objects" when a search stopped counting. */
function countOf(page: Page<FluxResource>): string {
  const count = `${page.total.toLocaleString('en-US')}${
    page.totalIsLowerBound ? '+' : ''
  }`;
  return `${count} Flux object${
    page.total === 1 && !page.totalIsLowerBound ? '' : 's'
  }`;
}

export interface ResourceTableProps {
  /** The page to show; undefined until the first load finished. */
  page?: Page<FluxResource>;
  loading: boolean;
  /** Why the last load failed; with a page, that page stays on screen under a warning. */
  error?: Error;
  query: ResourceListQuery;
  onQueryChange(change: Partial<ResourceListQuery>): void;
  /** Called after an action ran, to reload the page. */
  onActionsDone?(): void;
  /** Leave out the cluster column where the list is one cluster's. */
  hideCluster?: boolean;
  /** What an empty list says to do next. */
  emptyState?: ReactNode;
}

/**
 * The one table of Flux objects: the fleet-wide list, a cluster's objects and an entity's objects. Sorting
 * and paging are the caller's (server-side for the large lists), selection and actions are the table's.
 */
export function ResourceTable(props: ResourceTableProps) {
  const { page, loading, error, query, onQueryChange, hideCluster } = props;
  const classes = useStyles();
  const links = useFluxLinks();
  const [selectedIds, setSelectedIds] = useState<Set<string>>(new Set());
  const queryKey = JSON.stringify(query);
  // A selection only makes sense on the list it was made on.
  useEffect(() => setSelectedIds(new Set()), [queryKey]);

  const columns = hideCluster
    ? COLUMNS.filter(c => c.title !== 'Cluster')
    : COLUMNS;
  const items = useMemo(() => page?.items ?? [], [page]);
  const selected = items.filter(r => selectedIds.has(r.id));
  const allSelected = items.length > 0 && selected.length === items.length;

  function toggle(id: string) {
    setSelectedIds(previous => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function sortBy(field: ResourceSortField) {
    const order =
      query.sort === field && query.order !== 'desc' ? 'desc' : 'asc';
    onQueryChange({ sort: field, order });
  }

  let body: ReactNode;
  if (!page && loading) {
    body = Array.from({ length: 8 }, (_, row) => (
      <TableRow key={row}>
        <TableCell padding="checkbox" />
        {columns.map(c => (
          <TableCell key={c.title}>
            <Skeleton variant="text" />
          </TableCell>
        ))}
        <TableCell />
      </TableRow>
    ));
  } else if (!items.length) {
    body = (
      <TableRow>
        <TableCell colSpan={columns.length + 2}>
          {props.emptyState ?? (
            <EmptyState
              missing="data"
              title="No Flux objects match"
              description="Clear some filters, or sync the clusters if objects were created since the last sync."
            />
          )}
        </TableCell>
      </TableRow>
    );
  } else {
    body = items.map(resource => (
      <TableRow
        key={resource.id}
        data-testid="resource-row"
        hover
        selected={selectedIds.has(resource.id)}
      >
        <TableCell padding="checkbox">
          <Checkbox
            checked={selectedIds.has(resource.id)}
            onChange={() => toggle(resource.id)}
            inputProps={{
              'aria-label': `Select ${resource.kind} ${resource.namespace}/${resource.name} on ${resource.cluster}`,
            }}
          />
        </TableCell>
        {columns.map(c => (
          <TableCell
            key={c.title}
            className={c.nowrap ? classes.nowrap : undefined}
          >
            {c.render(resource, links)}
          </TableCell>
        ))}
        <TableCell padding="none" className={classes.nowrap}>
          <ActionButtons
            mode="row"
            resources={[resource]}
            onDone={props.onActionsDone}
          />
        </TableCell>
      </TableRow>
    ));
  }

  const syncedAt = newestSyncedAt(items);

  // ActionReports sits above the rows and the selection: an action's reload may remove both, and what the
  // action did must stay on screen.
  return (
    <ActionReports>
      {error && !page ? (
        <BackendErrorPanel error={error} />
      ) : (
        <Paper>
          <Toolbar className={classes.toolbar}>
            <Typography variant="h6" component="h2">
              {page ? countOf(page) : 'Flux objects'}
            </Typography>
            {syncedAt && <DataAge syncedAt={syncedAt} />}
            {selected.length > 0 && (
              <Box
                display="flex"
                alignItems="center"
                style={{ gap: 8 }}
                data-testid="bulk-actions"
              >
                <Typography variant="body2">
                  {selected.length} selected
                </Typography>
                <ActionButtons
                  mode="bulk"
                  resources={selected}
                  onDone={props.onActionsDone}
                />
              </Box>
            )}
          </Toolbar>
          <RefreshFailedWarning error={error} what="the list" />
          {/* A reload keeps the old page on screen; the bar says a newer one is on its way. */}
          {loading && page && <LinearProgress />}
          <TableContainer>
            <Table
              size="small"
              aria-label="Flux objects"
              className={classes.table}
            >
              <TableHead>
                <TableRow>
                  <TableCell padding="checkbox">
                    <Checkbox
                      checked={allSelected}
                      indeterminate={selected.length > 0 && !allSelected}
                      onChange={() =>
                        setSelectedIds(
                          allSelected
                            ? new Set()
                            : new Set(items.map(r => r.id)),
                        )
                      }
                      inputProps={{
                        'aria-label': 'Select all objects on this page',
                      }}
                    />
                  </TableCell>
                  {columns.map(c => (
                    <TableCell
                      key={c.title}
                      className={classes.nowrap}
                      sortDirection={
                        c.sort && query.sort === c.sort
                          ? query.order ?? 'asc'
                          : false
                      }
                    >
                      {c.sort ? (
                        <TableSortLabel
                          active={query.sort === c.sort}
                          direction={
                            query.sort === c.sort ? query.order ?? 'asc' : 'asc'
                          }
                          onClick={() => sortBy(c.sort!)}
                        >
                          {c.title}
                        </TableSortLabel>
                      ) : (
                        c.title
                      )}
                    </TableCell>
                  ))}
                  <TableCell className={classes.nowrap}>Actions</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>{body}</TableBody>
            </Table>
          </TableContainer>
          <TablePagination
            component="div"
            // -1: a text search counted so far only; the pager then says "of more than".
            count={page?.totalIsLowerBound ? -1 : page?.total ?? 0}
            page={Math.floor(query.offset / query.limit)}
            rowsPerPage={query.limit}
            rowsPerPageOptions={[...PAGE_SIZES]}
            onPageChange={(_, pageNumber) =>
              onQueryChange(pageOfResourceQuery(query, page, pageNumber))
            }
            onRowsPerPageChange={event =>
              onQueryChange({ limit: Number(event.target.value), offset: 0 })
            }
          />
        </Paper>
      )}
    </ActionReports>
  );
}
