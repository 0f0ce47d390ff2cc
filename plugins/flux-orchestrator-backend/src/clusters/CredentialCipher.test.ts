import { ConfigReader } from '@backstage/config';
import { randomBytes } from 'crypto';
import {
  CredentialCipher,
  CredentialDecryptionError,
} from './CredentialCipher';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const kubeconfig =
  'users:\n- name: ci\n  user:\n    token: eyJhbGciOiJSUzI1NiJ9.secret-token\n';

function cipher(key: string, previousKeys: string[] = []) {
  return CredentialCipher.fromConfig(
    new ConfigReader({
      fluxOrchestrator: { encryption: { key, previousKeys } },
    }),
    {
      ephemeralDatabase: false,
      onEphemeralKey: () => {
        throw new Error(
          'a configured key must not fall back to an ephemeral one',
        );
      },
    },
  );
}

describe('CredentialCipher', () => {
  it('round-trips a kubeconfig and never writes the plain text', () => {
    const c = cipher(keyA);
    const sealed = c.encrypt(kubeconfig, 'prod');
    expect(sealed).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(sealed).not.toContain('secret-token');
    expect(
      Buffer.from(sealed.split(':')[4], 'base64').toString('utf8'),
    ).not.toContain('secret-token');
    expect(c.decrypt(sealed, 'prod')).toBe(kubeconfig);
  });

  it('uses a fresh IV for every encryption', () => {
    const c = cipher(keyA);
    expect(c.encrypt(kubeconfig, 'prod')).not.toBe(
      c.encrypt(kubeconfig, 'prod'),
    );
  });

  it('reads texts of a previous key after rotation and writes new ones with the current key', () => {
    const old = cipher(keyA).encrypt(kubeconfig, 'prod');
    const rotated = cipher(keyB, [keyA]);
    expect(rotated.decrypt(old, 'prod')).toBe(kubeconfig);
    expect(rotated.keyIdOf(rotated.encrypt(kubeconfig, 'prod'))).toBe(
      rotated.currentKeyId,
    );
    expect(rotated.keyIdOf(old)).not.toBe(rotated.currentKeyId);
  });

  it('says which key is missing instead of returning garbage', () => {
    const old = cipher(keyA).encrypt(kubeconfig, 'prod');
    expect(() => cipher(keyB).decrypt(old, 'prod')).toThrow(
      CredentialDecryptionError,
    );
    expect(() => cipher(keyB).decrypt(old, 'prod')).toThrow(
      /encrypted with key [0-9a-f]{8}, which is not configured; add it to fluxOrchestrator\.encryption\.previousKeys/,
    );
  });

  it('refuses a cipher text that was altered or moved to another cluster', () => {
    const c = cipher(keyA);
    const sealed = c.encrypt(kubeconfig, 'prod');
    const parts = sealed.split(':');
    const data = Buffer.from(parts[4], 'base64');
    data[0] ^= 0xff;
    const altered = [...parts.slice(0, 4), data.toString('base64')].join(':');
    expect(() => c.decrypt(altered, 'prod')).toThrow(
      /were altered or belong to another cluster/,
    );
    expect(() => c.decrypt(sealed, 'staging')).toThrow(
      /were altered or belong to another cluster/,
    );
  });

  it('refuses a key that is not 32 bytes, naming the setting', () => {
    expect(() => cipher('c2hvcnQ=')).toThrow(
      /fluxOrchestrator\.encryption\.key: must be 32 random bytes in base64 \(openssl rand -base64 32\); it decodes to 5 bytes/,
    );
  });

  it('gives an in-memory database a generated key, with a warning, when none is configured', () => {
    const saved = process.env.FLUX_ORCHESTRATOR_ENCRYPTION_KEY;
    delete process.env.FLUX_ORCHESTRATOR_ENCRYPTION_KEY;
    const warnings: string[] = [];
    try {
      const c = CredentialCipher.fromConfig(new ConfigReader({}), {
        ephemeralDatabase: true,
        onEphemeralKey: m => warnings.push(m),
      });
      expect(warnings[0]).toMatch(
        /lives as long as this process, like the database itself/,
      );
      expect(c.decrypt(c.encrypt(kubeconfig, 'dev'), 'dev')).toBe(kubeconfig);
    } finally {
      if (saved !== undefined)
        process.env.FLUX_ORCHESTRATOR_ENCRYPTION_KEY = saved;
    }
  });

  it('refuses to start on a database that persists when no key is configured, saying how to make one', () => {
    const saved = process.env.FLUX_ORCHESTRATOR_ENCRYPTION_KEY;
    delete process.env.FLUX_ORCHESTRATOR_ENCRYPTION_KEY;
    try {
      expect(() =>
        CredentialCipher.fromConfig(new ConfigReader({}), {
          ephemeralDatabase: false,
          onEphemeralKey: () => {},
        }),
      ).toThrow(
        /fluxOrchestrator\.encryption\.key is not set.*openssl rand -base64 32/,
      );
    } finally {
      if (saved !== undefined)
        process.env.FLUX_ORCHESTRATOR_ENCRYPTION_KEY = saved;
    }
  });
});
