import {
  FLUX_KIND_NAMES,
  FLUX_STATUSES,
  FluxKind,
  FluxStatus,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useSearchText } from '../hooks/useSearchText';
import { ResourceListQuery } from './resourceSearchParams';

/** The suspend flag's three states: no filter, only suspended objects, only the others. */
const SUSPENDED_OPTIONS = [
  { value: '', label: 'Any', suspended: undefined },
  { value: 'true', label: 'Suspended', suspended: true },
  { value: 'false', label: 'Not suspended', suspended: false },
] as const;

function MultiSelect<T extends string>(props: {
  label: string;
  options: readonly T[];
  value: T[] | undefined;
  freeSolo?: boolean;
  onChange(value: T[]): void;
}) {
  return (
    <Autocomplete<T, true, false, boolean>
      id={`resource-filter-${props.label.toLowerCase()}`}
      multiple
      size="small"
      freeSolo={props.freeSolo}
      options={[...props.options]}
      value={props.value ?? []}
      onChange={(_, value) => props.onChange(value as T[])}
      renderInput={params => (
        <TextField {...params} variant="outlined" label={props.label} />
      )}
    />
  );
}

/**
 * The filters of a resource list. They edit the URL's query (through `onChange`), so the list, the filters
 * and a shared link always agree.
 */
const useStyles = makeStyles(theme => ({
  // A row of fields above the table; a column beside it where the screen is wide enough for both (xl).
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    '& > *': { flex: '1 1 160px' },
    // The heading and the clear button keep their own width.
    '& > :first-child, & > :last-child': { flex: '0 0 auto' },
    [theme.breakpoints.up('xl')]: {
      flexDirection: 'column',
      flexWrap: 'nowrap',
      alignItems: 'stretch',
      '& > *': { flex: 'none' },
    },
  },
}));

export function ResourceFilters(props: {
  query: ResourceListQuery;
  onChange(change: Partial<ResourceListQuery>): void;
  /** Cluster names to offer; the cluster filter is left out when undefined (a one-cluster list). */
  clusters?: string[];
  /** Namespaces to offer; any namespace can also be typed. */
  namespaces?: string[];
}) {
  const { query, onChange } = props;
  const classes = useStyles();
  const [text, setText] = useSearchText(query.text ?? '', search =>
    onChange({ text: search }),
  );

  const filtered =
    !!query.cluster ||
    !!query.kind ||
    !!query.namespace ||
    !!query.status ||
    query.suspended !== undefined ||
    !!query.text;

  // On a card of the paper colour, as the table: the fields' grey labels on the page's own grey fell short of
  // WCAG AA contrast (4.47:1).
  return (
    <Box
      className={classes.filters}
      component={Paper}
      padding={2}
      role="region"
      aria-label="Filters"
    >
      <Typography variant="overline">Filters</Typography>
      <TextField
        id="resource-filter-search"
        label="Search"
        placeholder="name, namespace, message, revision"
        variant="outlined"
        size="small"
        value={text}
        onChange={event => setText(event.target.value)}
      />
      {props.clusters && (
        <MultiSelect
          label="Cluster"
          options={props.clusters}
          value={query.cluster}
          onChange={cluster => onChange({ cluster })}
        />
      )}
      <MultiSelect<FluxStatus>
        label="Status"
        options={FLUX_STATUSES}
        value={query.status}
        onChange={status => onChange({ status })}
      />
      <MultiSelect<FluxKind>
        label="Kind"
        options={FLUX_KIND_NAMES}
        value={query.kind}
        onChange={kind => onChange({ kind })}
      />
      <MultiSelect
        label="Namespace"
        options={props.namespaces ?? []}
        freeSolo
        value={query.namespace}
        onChange={namespace => onChange({ namespace })}
      />
      <TextField
        id="resource-filter-suspended"
        label="Suspended"
        select
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        size="small"
        value={query.suspended === undefined ? '' : String(query.suspended)}
        onChange={event =>
          onChange({
            suspended: SUSPENDED_OPTIONS.find(
              o => o.value === event.target.value,
            )?.suspended,
          })
        }
      >
        {SUSPENDED_OPTIONS.map(option => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </TextField>
      <Button
        variant="text"
        disabled={!filtered}
        onClick={() =>
          onChange({
            cluster: undefined,
            kind: undefined,
            namespace: undefined,
            status: undefined,
            suspended: undefined,
            text: undefined,
          })
        }
      >
        Clear filters
      </Button>
    </Box>
  );
}
