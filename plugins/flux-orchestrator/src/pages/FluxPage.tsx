import { Content, Header, Page } from '@backstage/core-components';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { makeStyles } from '@material-ui/core/styles';
import { Link as RouterLink, Route, Routes, useLocation } from 'react-router-dom';
import { FluxLinks, useFluxLinks } from '../routes';
import { ClusterDetailPage } from './ClusterDetail/ClusterDetailPage';
import { ClustersPage } from './Clusters/ClustersPage';
import { OverviewPage } from './Overview/OverviewPage';
import { ResourceDetailPage } from './ResourceDetail/ResourceDetailPage';
import { ResourcesPage } from './Resources/ResourcesPage';

const useStyles = makeStyles(theme => ({
  tabs: {
    // Page is a CSS grid; without an area the tabs fall into its narrow navigation column, beside the content
    // rather than above it. pageSubheader is the full-width row under the header, where HeaderTabs sit.
    gridArea: 'pageSubheader',
    backgroundColor: theme.palette.background.paper,
    padding: theme.spacing(0, 3),
    boxShadow: theme.shadows[1],
  },
}));

const SECTIONS = [
  { label: 'Overview', path: (l: FluxLinks) => l.overview() },
  { label: 'Clusters', path: (l: FluxLinks) => l.clusters() },
  { label: 'Resources', path: (l: FluxLinks) => l.resources() },
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

function SectionTabs() {
  const classes = useStyles();
  const links = useFluxLinks();
  const { pathname } = useLocation();
  if (!links) return null;
  return (
    <Tabs
      className={classes.tabs}
      value={currentSection(pathname.replace(/\/$/, ''), links)}
      indicatorColor="primary"
      textColor="primary"
      aria-label="Flux sections"
    >
      {SECTIONS.map(section => (
        <Tab key={section.label} label={section.label} component={RouterLink} to={section.path(links)} />
      ))}
    </Tabs>
  );
}

/** The Flux pages under one header, with a route each; the same element serves both frontend systems. */
export function FluxPage() {
  return (
    <Page themeId="tool">
      <Header title="Flux" subtitle="Flux CD across every cluster" />
      <SectionTabs />
      <Content>
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/clusters" element={<ClustersPage />} />
          <Route path="/clusters/:cluster" element={<ClusterDetailPage />} />
          <Route path="/resources" element={<ResourcesPage />} />
          <Route path="/resources/:id" element={<ResourceDetailPage />} />
        </Routes>
      </Content>
    </Page>
  );
}
