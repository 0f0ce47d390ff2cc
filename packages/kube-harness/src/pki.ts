import * as x509 from '@peculiar/x509';
import { webcrypto } from 'crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface ClusterPki {
  /** CA of the serving certificate: what a client puts in its kubeconfig's certificate-authority-data. */
  servingCa: KeyPairPem;
  serving: KeyPairPem;
  /** CA the API server trusts for client certificates (`--client-ca-file`). */
  clientCa: KeyPairPem;
  /** The admin's client certificate: O=system:masters. */
  admin: KeyPairPem;
  /** Signs and verifies ServiceAccount tokens (`--service-account-signing-key-file`, `--service-account-key-file`). */
  serviceAccount: { publicKeyPem: string; privateKeyPem: string };
}

function pem(label: string, der: ArrayBuffer): string {
  const body = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${body}${
    body.endsWith('\n') ? '' : '\n'
  }-----END ${label}-----\n`;
}

async function keyPair() {
  return (await webcrypto.subtle.generateKey(EC, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

async function keyPem(keys: CryptoKeyPair) {
  return pem(
    'PRIVATE KEY',
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
  );
}

const validity = () => ({
  notBefore: new Date(Date.now() - 60_000),
  notAfter: new Date(Date.now() + 365 * 24 * 3600_000),
});

let serial = 1;
const nextSerial = () => (Date.now() * 1000 + serial++).toString(16);

async function createCa(commonName: string) {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${commonName}`,
    keys,
    signingAlgorithm: SIGNING,
    ...validity(),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign |
          x509.KeyUsageFlags.cRLSign |
          x509.KeyUsageFlags.digitalSignature,
        true,
      ),
    ],
  });
  return {
    cert,
    keys,
    pems: { certPem: cert.toString('pem'), keyPem: await keyPem(keys) },
  };
}

async function issue(
  ca: Awaited<ReturnType<typeof createCa>>,
  subject: string,
  usage: 'server' | 'client',
  altNames: x509.JsonGeneralName[] = [],
): Promise<KeyPairPem> {
  const keys = await keyPair();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension(
      [
        usage === 'server'
          ? x509.ExtendedKeyUsage.serverAuth
          : x509.ExtendedKeyUsage.clientAuth,
      ],
      false,
    ),
  ];
  if (altNames.length)
    extensions.push(new x509.SubjectAlternativeNameExtension(altNames));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject,
    issuer: ca.cert.subject,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGNING,
    ...validity(),
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys) };
}

/** A throwaway PKI for one cluster, ECDSA P-256 throughout, as envtest makes it. */
export async function createClusterPki(name: string): Promise<ClusterPki> {
  const servingCa = await createCa(`${name}-serving-ca`);
  const clientCa = await createCa(`${name}-client-ca`);
  const serving = await issue(servingCa, 'CN=kube-apiserver', 'server', [
    { type: 'ip', value: '127.0.0.1' },
    { type: 'dns', value: 'localhost' },
  ]);
  const admin = await issue(clientCa, 'CN=admin, O=system:masters', 'client');
  const sa = await keyPair();
  return {
    servingCa: servingCa.pems,
    serving,
    clientCa: clientCa.pems,
    admin,
    serviceAccount: {
      publicKeyPem: pem(
        'PUBLIC KEY',
        await webcrypto.subtle.exportKey('spki', sa.publicKey),
      ),
      privateKeyPem: await keyPem(sa),
    },
  };
}
