import {
  DependencyGraph,
  DependencyGraphTypes,
} from '@backstage/core-components';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import { useNavigate } from 'react-router-dom';
import { GraphEdge, GraphNode, GraphRole } from './dependencyGraph';

const NODE_WIDTH = 200;
const NODE_HEIGHT = 44;

/** Role names in words: the node's border is coloured by role, and its first line says it too (WCAG 1.4.1). */
const ROLE_WORDS: Record<GraphRole, string> = {
  self: 'this object',
  source: 'source',
  dependency: 'depends on',
  dependent: 'depended on by',
  inventory: 'applied',
  more: 'applied',
};

function roleColour(theme: Theme, role: GraphRole): string {
  switch (role) {
    case 'self':
      return theme.palette.primary.main;
    case 'source':
    case 'dependency':
      return theme.palette.info.dark;
    case 'dependent':
      return theme.palette.secondary.main;
    default:
      return theme.palette.text.secondary;
  }
}

const useStyles = makeStyles(theme => ({
  graph: { width: '100%', minHeight: 200 },
  box: { fill: theme.palette.background.paper, strokeWidth: 2 },
  kind: {
    fill: theme.palette.text.secondary,
    fontSize: 11,
    fontFamily: theme.typography.fontFamily,
  },
  name: {
    fill: theme.palette.text.primary,
    fontSize: 13,
    fontFamily: theme.typography.fontFamily,
  },
  // Keyboard focus shows as a thicker border (WCAG 2.4.7).
  link: {
    cursor: 'pointer',
    '&:focus': { outline: 'none' },
    '&:focus rect': { strokeWidth: 4 },
  },
  label: {
    fill: theme.palette.text.secondary,
    fontSize: 11,
    fontFamily: theme.typography.fontFamily,
  },
}));

/** Text cut to what fits a node, whole on hover. */
function fit(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function Node(props: { node: GraphNode; href?: (id: string) => string }) {
  const classes = useStyles();
  const navigate = useNavigate();
  const { node, href } = props;
  const theme = useTheme();
  const box = (
    <g data-testid="graph-node" data-role={node.role}>
      <title>{`${ROLE_WORDS[node.role]}: ${node.kind} ${node.name}`}</title>
      <rect
        width={NODE_WIDTH}
        height={NODE_HEIGHT}
        rx={6}
        className={classes.box}
        style={{ stroke: roleColour(theme, node.role) }}
      />
      <text x={10} y={17} className={classes.kind}>
        {fit(`${node.kind} · ${ROLE_WORDS[node.role]}`, 34)}
      </text>
      <text x={10} y={35} className={classes.name}>
        {fit(node.name, 28)}
      </text>
    </g>
  );
  if (!node.resourceId || !href || node.role === 'self') return box;
  const target = href(node.resourceId);
  return (
    <a
      href={target}
      className={classes.link}
      onClick={event => {
        // A link the browser can open in a new tab; a plain click stays in the app.
        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(target);
      }}
    >
      {box}
    </a>
  );
}

/**
 * The object's neighbourhood drawn left to right: its source and dependencies, the object, what depends on it and
 * what it applied. Flux objects link to their pages. The lists of the Relations card and the Inventory say the
 * same in text, for a screen reader.
 */
export function DependencyGraphView(props: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  href?: (id: string) => string;
}) {
  const classes = useStyles();
  return (
    <DependencyGraph<GraphNode, GraphEdge>
      className={classes.graph}
      nodes={props.nodes}
      edges={props.edges}
      direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
      labelPosition={DependencyGraphTypes.LabelPosition.CENTER}
      rankMargin={70}
      nodeMargin={14}
      paddingX={10}
      paddingY={10}
      zoom="enable-on-click"
      fit="contain"
      showArrowHeads
      aria-label="Dependency graph"
      renderNode={({ node }) => <Node node={node} href={props.href} />}
      renderLabel={({ edge }) => (
        <text className={classes.label}>{edge.label}</text>
      )}
    />
  );
}
