import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { randomBytes } from 'crypto';
import { fluxOrchestratorPlugin } from '../plugin';

type Knex = Awaited<ReturnType<TestDatabases['init']>>;

/**
 * The plugin in a test backend on the real PostgreSQL, for the tiers that run against the harness's API servers:
 * a fresh encryption key, loopback clusters allowed, and `settings` merged into `fluxOrchestrator`.
 */
export async function startPluginOnPostgres(
  databases: TestDatabases,
  settings: Record<string, unknown>,
): Promise<{
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  knex: Knex;
}> {
  if (!process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
    throw new Error(
      'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING must point at PostgreSQL (scripts/dev.sh sets it)',
    );
  }
  const knex = await databases.init('POSTGRES_15');
  const { server } = await startTestBackend({
    features: [
      fluxOrchestratorPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          fluxOrchestrator: {
            encryption: { key: randomBytes(32).toString('base64') },
            kubeconfig: { allowPrivateNetworks: ['127.0.0.0/8'] },
            ...settings,
          },
        },
      }),
    ],
  });
  return { server, knex };
}
