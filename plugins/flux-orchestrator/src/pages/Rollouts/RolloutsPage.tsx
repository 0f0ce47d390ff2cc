import { Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  RolloutGrouping,
  RolloutObject,
  RolloutRow,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Fragment } from 'react';
import { useSearchParams } from 'react-router-dom';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { BackendErrorPanel } from '../../components/BackendErrorPanel';
import { EntityName } from '../../components/EntityName';
import { RefreshFailedWarning } from '../../components/RefreshFailedWarning';
import { RelativeTime } from '../../components/RelativeTime';
import { StatusChip } from '../../components/StatusChip';
import { useLiveAsync } from '../../hooks/useLiveAsync';
import { useSearchText } from '../../hooks/useSearchText';
import { FluxLinks, useFluxLinks } from '../../routes';
import {
  describeOrigin,
  leadingRevision,
  shortRevision,
} from './describeRollout';

const PAGE_SIZES = [25, 50, 100];

const useStyles = makeStyles(theme => ({
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  // Many clusters make a wide matrix: it scrolls within its card, the page does not.
  matrix: { overflowX: 'auto' },
  origin: {
    position: 'sticky',
    left: 0,
    background: theme.palette.background.paper,
    minWidth: 260,
    maxWidth: 380,
    zIndex: 1,
  },
  cell: { minWidth: 150, verticalAlign: 'top' },
  differs: {
    // Told apart by a word as well as by colour (WCAG 1.4.1).
    background:
      theme.palette.type === 'dark'
        ? 'rgba(255, 152, 0, 0.16)'
        : 'rgba(255, 152, 0, 0.12)',
  },
  object: { marginBottom: theme.spacing(1) },
  revision: { fontFamily: 'monospace' },
  entity: { background: theme.palette.background.default },
}));

function ObjectCell(props: {
  object: RolloutObject;
  differs: boolean;
  links?: FluxLinks;
}) {
  const classes = useStyles();
  const { object, differs, links } = props;
  const name = `${object.namespace}/${object.name}`;
  return (
    <div className={classes.object} data-testid="rollout-object">
      <div>
        {links ? <Link to={links.resource(object.id)}>{name}</Link> : name}{' '}
        <StatusChip status={object.status} />
      </div>
      <Typography
        variant="body2"
        className={classes.revision}
        title={object.revision}
      >
        {object.revision ? shortRevision(object.revision) : 'nothing applied'}
        {differs && <strong> · differs</strong>}
      </Typography>
      {object.originRevision && (
        <Typography variant="caption" display="block" title="Origin revision">
          from {shortRevision(object.originRevision)}
        </Typography>
      )}
      {object.revisionSince && (
        <Typography variant="caption" display="block">
          since <RelativeTime time={object.revisionSince} />
        </Typography>
      )}
      {object.attemptedRevision && (
        <Typography
          variant="caption"
          display="block"
          title={object.attemptedRevision}
        >
          attempted {shortRevision(object.attemptedRevision)}
        </Typography>
      )}
      {object.sourceRevision && object.sourceRevision !== object.revision && (
        <Typography
          variant="caption"
          display="block"
          title={object.sourceRevision}
        >
          source offers {shortRevision(object.sourceRevision)}
        </Typography>
      )}
    </div>
  );
}

function OriginCell(props: { row: RolloutRow }) {
  const { row } = props;
  const { title, details } = describeOrigin(row.origin);
  return (
    <>
      <Typography variant="body2">
        <strong>
          {row.deployKind} {row.namespace}/{row.name}
        </strong>
      </Typography>
      <Typography variant="caption" display="block">
        {title}
      </Typography>
      {details.length > 0 && (
        <Typography variant="caption" display="block">
          {details.join(' · ')}
        </Typography>
      )}
      <Typography variant="caption" display="block">
        {row.disagrees
          ? `${row.revisions.length} revisions across ${row.clusters.length} clusters`
          : `${row.clusters.length} ${
              row.clusters.length === 1 ? 'cluster' : 'clusters'
            }, one revision`}
      </Typography>
    </>
  );
}

/**
 * The rollout tracker: each deployment (a Git URL, ref and path; an OCI URL; a chart and its repository) as a row,
 * each cluster as a column, with the revision every cluster has applied, what it attempted and since when. Rows
 * where clusters disagree come first and can be shown alone; grouped by catalog entity, each entity heads its
 * deployments. The filters live in the URL, so a view can be shared.
 */
export function RolloutsPage() {
  const api = useApi(fluxOrchestratorApiRef);
  const links = useFluxLinks();
  const classes = useStyles();
  const [params, setParams] = useSearchParams();
  const groupBy: RolloutGrouping =
    params.get('groupBy') === 'entity' ? 'entity' : 'source';
  const disagreeing = params.get('disagreeing') === 'true';
  const search = params.get('search') ?? '';
  const limit = Number(params.get('limit')) || PAGE_SIZES[1];
  const page = Math.max(0, Number(params.get('page')) || 0);
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };
  const [text, setText] = useSearchText(search, value =>
    update({ search: value }),
  );

  const rollouts = useLiveAsync(
    () =>
      api.getRollouts({
        groupBy,
        disagreeing: disagreeing || undefined,
        search: search || undefined,
        limit,
        offset: page * limit,
      }),
    [api, groupBy, disagreeing, search, limit, page],
  );

  const controls = (
    <Paper className={classes.controls} role="region" aria-label="Filters">
      <TextField
        id="rollout-group-by"
        select
        label="Rows"
        variant="outlined"
        size="small"
        value={groupBy}
        onChange={e =>
          update({
            groupBy: e.target.value === 'entity' ? 'entity' : undefined,
          })
        }
      >
        <MenuItem value="source">By source and path</MenuItem>
        <MenuItem value="entity">By catalog entity</MenuItem>
      </TextField>
      <TextField
        id="rollout-search"
        label="Search"
        placeholder="URL, path, chart, entity, name"
        variant="outlined"
        size="small"
        value={text}
        onChange={e => setText(e.target.value)}
      />
      <FormControlLabel
        control={
          <Checkbox
            checked={disagreeing}
            onChange={e =>
              update({ disagreeing: e.target.checked ? 'true' : undefined })
            }
            color="primary"
          />
        }
        label="Only where clusters disagree"
      />
      {rollouts.value && (
        <Typography variant="body2" data-testid="rollout-summary">
          {rollouts.value.totalItems}{' '}
          {rollouts.value.totalItems === 1 ? 'deployment' : 'deployments'}
          {disagreeing
            ? ' where clusters disagree'
            : `, ${rollouts.value.disagreeing} where clusters disagree`}
        </Typography>
      )}
    </Paper>
  );

  if (rollouts.error && !rollouts.value)
    return (
      <>
        {controls}
        <BackendErrorPanel error={rollouts.error} />
      </>
    );
  if (!rollouts.value)
    return (
      <>
        {controls}
        <Progress />
      </>
    );
  const value = rollouts.value;
  const columns = value.clusters;
  let lastEntity: string | undefined | null = null;

  return (
    <>
      {controls}
      {rollouts.error && (
        <RefreshFailedWarning error={rollouts.error} what="the rollouts" />
      )}
      <Paper className={classes.matrix}>
        {value.items.length === 0 ? (
          <Box padding={3}>
            <Typography>
              {disagreeing
                ? 'Every deployment has the same revision in every cluster.'
                : 'No Kustomization or HelmRelease you may read matches.'}
            </Typography>
          </Box>
        ) : (
          <Table size="small" aria-label="Rollouts by cluster">
            <TableHead>
              <TableRow>
                <TableCell className={classes.origin}>Deployment</TableCell>
                {columns.map(cluster => (
                  <TableCell key={cluster} className={classes.cell}>
                    {links ? (
                      <Link to={links.cluster(cluster)}>{cluster}</Link>
                    ) : (
                      cluster
                    )}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {value.items.map(row => {
                const leading = leadingRevision(row);
                const heading =
                  groupBy === 'entity' && row.entityRef !== lastEntity;
                lastEntity = row.entityRef;
                return (
                  <Fragment key={row.key}>
                    {heading && (
                      <TableRow
                        className={classes.entity}
                        data-testid="rollout-entity"
                      >
                        <TableCell colSpan={columns.length + 1}>
                          {row.entityRef ? (
                            <EntityName entityRef={row.entityRef} />
                          ) : (
                            'Selected by no catalog entity'
                          )}
                        </TableCell>
                      </TableRow>
                    )}
                    <TableRow data-testid="rollout-row">
                      <TableCell className={classes.origin}>
                        <OriginCell row={row} />
                      </TableCell>
                      {columns.map(cluster => {
                        const objects =
                          row.clusters.find(c => c.cluster === cluster)
                            ?.objects ?? [];
                        const differs =
                          row.disagrees &&
                          objects.some(o => o.revision !== leading);
                        return (
                          <TableCell
                            key={cluster}
                            className={`${classes.cell} ${
                              differs ? classes.differs : ''
                            }`}
                          >
                            {objects.length === 0
                              ? '—'
                              : objects.map(object => (
                                  <ObjectCell
                                    key={object.id}
                                    object={object}
                                    links={links}
                                    differs={
                                      row.disagrees &&
                                      object.revision !== leading
                                    }
                                  />
                                ))}
                          </TableCell>
                        );
                      })}
                    </TableRow>
                  </Fragment>
                );
              })}
            </TableBody>
          </Table>
        )}
        <TablePagination
          component="div"
          count={value.totalItems}
          page={Math.min(
            page,
            Math.max(0, Math.ceil(value.totalItems / limit) - 1),
          )}
          rowsPerPage={limit}
          rowsPerPageOptions={PAGE_SIZES}
          onPageChange={(_, next) =>
            update({ page: next ? String(next) : undefined })
          }
          onRowsPerPageChange={e => update({ limit: e.target.value })}
        />
      </Paper>
    </>
  );
}
