import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { BackendErrorPanel } from '../../components/BackendErrorPanel';
import { RefreshFailedWarning } from '../../components/RefreshFailedWarning';
import { SimpleTable } from '../../components/SimpleTable';
import { listRelevance } from '../../hooks/useFluxRefresh';
import { useLiveAsync } from '../../hooks/useLiveAsync';
import { useFluxLinks } from '../../routes';

function plural(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Upgrade readiness: which Flux version each cluster runs, how far the fleet is spread, and the objects that
 * stand in the way of an upgrade because they are served, or applied from manifests, at an API version a Flux
 * release deprecates or removes.
 */
export function UpgradesPage() {
  const api = useApi(fluxOrchestratorApiRef);
  const links = useFluxLinks();
  const readiness = useLiveAsync(() => api.getUpgradeReadiness(), [api], {
    relevant: listRelevance(undefined),
  });
  if (readiness.error && !readiness.value)
    return <BackendErrorPanel error={readiness.error} />;
  if (!readiness.value) return <Progress />;
  const value = readiness.value;
  const clusterCount = value.fluxVersions.reduce(
    (n, v) => n + v.clusters.length,
    0,
  );
  const known = value.fluxVersions.filter(v => v.version !== 'unknown');
  return (
    <Grid container spacing={3}>
      {readiness.error && (
        <Grid item xs={12}>
          <RefreshFailedWarning error={readiness.error} what="the report" />
        </Grid>
      )}
      <Grid item xs={12} md={6} lg={4}>
        <InfoCard
          title="Flux versions"
          subheader={`${plural(
            known.length,
            'version',
            'versions',
          )} across ${plural(clusterCount, 'cluster', 'clusters')}${
            value.newestFluxVersion ? `; newest ${value.newestFluxVersion}` : ''
          }`}
        >
          <SimpleTable
            label="Flux versions"
            testId="flux-version-row"
            headers={['Version', 'Clusters']}
            rows={value.fluxVersions.map(v => [
              v.version === 'unknown'
                ? 'unknown (not detected yet, or no Flux controllers)'
                : v.version,
              <>
                {v.clusters.map(name => (
                  <Chip
                    key={name}
                    size="small"
                    label={name}
                    clickable={!!links}
                    {...(links
                      ? { component: Link, to: links.cluster(name) }
                      : {})}
                    style={{ margin: 2 }}
                  />
                ))}
              </>,
            ])}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Objects at deprecated API versions"
          subheader={`${plural(
            value.objectsAtRemovedVersions,
            'object',
            'objects',
          )} at versions a Flux release no longer serves, ${plural(
            value.objectsAtDeprecatedVersions,
            'object',
            'objects',
          )} at deprecated ones`}
        >
          {value.findings.length === 0 ? (
            <EmptyState
              missing="info"
              title="Every object is at a current API version"
              description="No object is served, or was applied, at a version that a Flux release deprecates or removes."
            />
          ) : (
            <SimpleTable
              label="Objects at deprecated API versions"
              testId="deprecated-api-row"
              headers={[
                'Cluster',
                'Kind',
                'API version',
                'Found',
                'Objects',
                'Deprecated in',
                'Removed in',
                'Move to',
              ]}
              rows={value.findings.map(f => [
                f.cluster,
                f.kind,
                f.apiVersion,
                f.where === 'served'
                  ? 'served by the cluster'
                  : 'in the applied manifests',
                links ? (
                  <Link
                    to={links.resources(
                      `cluster=${encodeURIComponent(
                        f.cluster,
                      )}&kind=${encodeURIComponent(f.kind)}`,
                    )}
                  >
                    {f.objects}
                  </Link>
                ) : (
                  f.objects
                ),
                f.deprecatedIn ?? '—',
                f.removedIn ?? '—',
                f.replacedBy,
              ])}
            />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
