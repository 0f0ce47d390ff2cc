import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { fluxOrchestratorPlugin } from './plugin';

// No key, no start: a database that outlives the process needs a key that does too.
jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

function config(encryption?: object) {
  return mockServices.rootConfig.factory({
    data: {
      fluxOrchestrator: {
        sync: { initialDelay: { hours: 1 } },
        ...(encryption ? { encryption } : {}),
      },
    },
  });
}

describe('the encryption key at start-up', () => {
  const envKey = process.env.FLUX_ORCHESTRATOR_ENCRYPTION_KEY;
  beforeAll(() => {
    delete process.env.FLUX_ORCHESTRATOR_ENCRYPTION_KEY;
  });
  afterAll(() => {
    if (envKey !== undefined)
      process.env.FLUX_ORCHESTRATOR_ENCRYPTION_KEY = envKey;
  });

  it('refuses to start on PostgreSQL without a key, and says how to make one', async () => {
    const knex = await databases.init('POSTGRES_15');
    await expect(
      startTestBackend({
        features: [
          fluxOrchestratorPlugin,
          config(),
          mockServices.database.factory({ knex }),
        ],
      }),
    ).rejects.toThrow(
      /fluxOrchestrator\.encryption\.key is not set: .*Generate one with `openssl rand -base64 32`/,
    );
  });

  it('starts on PostgreSQL with a key', async () => {
    const knex = await databases.init('POSTGRES_15');
    const { server } = await startTestBackend({
      features: [
        fluxOrchestratorPlugin,
        config({ key: Buffer.alloc(32, 3).toString('base64') }),
        mockServices.database.factory({ knex }),
      ],
    });
    expect(server.listening).toBe(true);
  });

  it('starts on the in-memory SQLite of the dev backend with a key of its own', async () => {
    const { server } = await startTestBackend({
      features: [fluxOrchestratorPlugin, config()],
    });
    expect(server.listening).toBe(true);
  });
});
