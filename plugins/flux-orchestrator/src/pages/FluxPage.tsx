import { Content, Header, HeaderTabs, Page } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import {
  Link as RouterLink,
  Route,
  Routes,
  useLocation,
} from 'react-router-dom';
import { FluxLinks, useFluxLinks } from '../routes';
import { ClusterDetailPage } from './ClusterDetail/ClusterDetailPage';
import { ClustersPage } from './Clusters/ClustersPage';
import { MyFluxPage } from './MyFlux/MyFluxPage';
import { OverviewPage } from './Overview/OverviewPage';
import { ResourceDetailPage } from './ResourceDetail/ResourceDetailPage';
import { ResourcesPage } from './Resources/ResourcesPage';
import { RolloutsPage } from './Rollouts/RolloutsPage';
import { UpgradesPage } from './Upgrades/UpgradesPage';

const SECTIONS = [
  { label: 'Overview', path: (l: FluxLinks) => l.overview() },
  { label: 'My Flux', path: (l: FluxLinks) => l.mine() },
  { label: 'Clusters', path: (l: FluxLinks) => l.clusters() },
  { label: 'Resources', path: (l: FluxLinks) => l.resources() },
  { label: 'Rollouts', path: (l: FluxLinks) => l.rollouts() },
  { label: 'Upgrades', path: (l: FluxLinks) => l.upgrades() },
];

/** The section the location is in: the longest section path it starts with. */
function currentSection(pathname: string, links: FluxLinks): number {
  let best = 0;
  SECTIONS.forEach((section, index) => {
    const path = section.path(links);
    if (pathname === path || pathname.startsWith(`${path}/`)) {
      if (path.length >= SECTIONS[best].path(links).length) best = index;
    }
  });
  return best;
}

/** Backstage's header tabs, as links: a section is a URL that can be opened in a new tab or shared. */
function SectionTabs() {
  const links = useFluxLinks();
  const { pathname } = useLocation();
  if (!links) return null;
  return (
    <HeaderTabs
      selectedIndex={currentSection(pathname.replace(/\/$/, ''), links)}
      tabs={SECTIONS.map(section => ({
        id: section.label.toLowerCase().replace(/\s+/g, '-'),
        label: section.label,
        // HeaderTabs types tabProps without the props of the component it renders; RouterLink takes `to`. Full
        // opacity: Material UI dims the tabs not selected to 0.7, which leaves their grey at 2.6:1 on white (axe,
        // WCAG AA wants 4.5:1); the selected one still stands out by its colour and its indicator.
        tabProps: {
          component: RouterLink,
          to: section.path(links),
          style: { opacity: 1 },
        } as any,
      }))}
    />
  );
}

const useStyles = makeStyles({
  // The Backstage theme lets table cells break words anywhere, so a narrow column shows "Kubern/etes": words
  // stay whole and the column takes the width of its longest one; only a word longer than the whole table
  // (a URL, a digest) still breaks.
  tables: {
    '& td, & th': { wordBreak: 'normal', overflowWrap: 'break-word' },
  },
});

/** The Flux pages under one header, with a route each; the same element serves both frontend systems. */
export function FluxPage() {
  const classes = useStyles();
  return (
    <Page themeId="tool">
      <Header title="Flux" subtitle="Flux CD across every cluster" />
      <SectionTabs />
      <Content className={classes.tables}>
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/clusters" element={<ClustersPage />} />
          <Route path="/clusters/:cluster" element={<ClusterDetailPage />} />
          <Route path="/resources" element={<ResourcesPage />} />
          <Route path="/resources/:id" element={<ResourceDetailPage />} />
          <Route path="/mine" element={<MyFluxPage />} />
          <Route path="/rollouts" element={<RolloutsPage />} />
          <Route path="/upgrades" element={<UpgradesPage />} />
        </Routes>
      </Content>
    </Page>
  );
}
