import { Config } from '@backstage/config';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
} from 'crypto';

const FORMAT = 'v1';
const ENV_KEY = 'FLUX_ORCHESTRATOR_ENCRYPTION_KEY';

/** A cipher text's key is unknown or the text was tampered with: the data is unreadable, not garbage. */
export class CredentialDecryptionError extends Error {
  name = 'CredentialDecryptionError';
}

interface Key {
  id: string;
  bytes: Buffer;
}

function parseKey(value: string, where: string): Key {
  const bytes = Buffer.from(value.trim(), 'base64');
  if (bytes.length !== 32) {
    throw new Error(
      `${where}: must be 32 random bytes in base64 (openssl rand -base64 32); it decodes to ${bytes.length} bytes`,
    );
  }
  // The id names the key in every cipher text, so a wrong key is reported as such instead of failing GCM.
  return {
    id: createHash('sha256').update(bytes).digest('hex').slice(0, 8),
    bytes,
  };
}

/**
 * AES-256-GCM for the credentials of API-registered clusters. The text format is
 * `v1:<key id>:<iv>:<auth tag>:<cipher text>` (base64 parts), so that after a key rotation the old key is
 * looked up by id and a missing key gives a clear error. The cluster name is bound as additional
 * authenticated data: a cipher text copied onto another cluster's row does not decrypt.
 */
export class CredentialCipher {
  /**
   * The key from config or the environment. Without one, an in-memory database (which dies with the process)
   * gets a generated key; any database that persists is a start-up error, since credentials written under a
   * key that dies with the process would be unreadable after the next restart.
   */
  static fromConfig(
    config: Config,
    options: {
      ephemeralDatabase: boolean;
      onEphemeralKey: (message: string) => void;
    },
  ): CredentialCipher {
    const configured =
      config.getOptionalString('fluxOrchestrator.encryption.key') ??
      process.env[ENV_KEY];
    const previous = (
      config.getOptionalStringArray(
        'fluxOrchestrator.encryption.previousKeys',
      ) ?? []
    ).map((k, i) =>
      parseKey(k, `fluxOrchestrator.encryption.previousKeys[${i}]`),
    );
    if (configured) {
      return new CredentialCipher(
        parseKey(configured, 'fluxOrchestrator.encryption.key'),
        previous,
      );
    }
    if (!options.ephemeralDatabase) {
      throw new Error(
        `fluxOrchestrator.encryption.key is not set: the credentials of registered clusters must be encrypted with a key that outlives this process, since the database does. Generate one with \`openssl rand -base64 32\` and set it as fluxOrchestrator.encryption.key or in ${ENV_KEY}`,
      );
    }
    options.onEphemeralKey(
      `No fluxOrchestrator.encryption.key (or ${ENV_KEY}) is set: the in-memory database gets a key that lives as long as this process, like the database itself.`,
    );
    return new CredentialCipher(
      parseKey(randomBytes(32).toString('base64'), 'generated key'),
      previous,
    );
  }

  private readonly keys: Map<string, Key>;

  constructor(private readonly current: Key, previous: Key[] = []) {
    this.keys = new Map([...previous, current].map(k => [k.id, k]));
  }

  /** The id of the key new cipher texts are written with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plainText: string, cluster: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    cipher.setAAD(Buffer.from(cluster, 'utf8'));
    const data = Buffer.concat([
      cipher.update(plainText, 'utf8'),
      cipher.final(),
    ]);
    return [
      FORMAT,
      this.current.id,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      data.toString('base64'),
    ].join(':');
  }

  /** The id of the key a cipher text was written with. */
  keyIdOf(cipherText: string): string | undefined {
    return cipherText.split(':')[1];
  }

  decrypt(cipherText: string, cluster: string): string {
    const [format, keyId, iv, tag, data] = cipherText.split(':');
    if (format !== FORMAT || !keyId || !iv || !tag || data === undefined) {
      throw new CredentialDecryptionError(
        `The stored credentials of cluster "${cluster}" are not in a known format`,
      );
    }
    const key = this.keys.get(keyId);
    if (!key) {
      throw new CredentialDecryptionError(
        `The credentials of cluster "${cluster}" were encrypted with key ${keyId}, which is not configured; add it to fluxOrchestrator.encryption.previousKeys (current key: ${this.current.id})`,
      );
    }
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        key.bytes,
        Buffer.from(iv, 'base64'),
      );
      decipher.setAAD(Buffer.from(cluster, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([
        decipher.update(Buffer.from(data, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new CredentialDecryptionError(
        `The stored credentials of cluster "${cluster}" do not decrypt with key ${keyId}: they were altered or belong to another cluster`,
      );
    }
  }
}
