import { createHash } from 'node:crypto';
import { createAgent } from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager';
import { getDidKeyResolver, KeyDIDProvider } from '@veramo/did-provider-key';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager, MemoryKeyStore, MemoryPrivateKeyStore } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';

/** Skills of a metal-sector worker. The first four ESCO URIs were seen in public datasets; the rest are illustrative. */
const SKILLS = [
  ['http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8', 'program a CNC controller'],
  ['http://data.europa.eu/esco/skill/68b6ef08-d823-489d-a95c-752ae6f6e6a7', 'read standard blueprints'],
  ['http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da', 'operate forklift'],
  ['http://data.europa.eu/esco/skill/f7464f30-662b-4177-85a0-3df9693e9e58', 'first aid'],
  ...[
    'operate a CNC milling machine',
    'operate a CNC lathe',
    'use precision measuring equipment',
    'set up machine tools and work holding',
    'apply health and safety standards in the workshop',
    'monitor machining quality',
    'use CAD/CAM software',
    'perform preventive machine maintenance',
    'deburr and finish machined parts',
    'select cutting tools and feeds',
    'interpret geometric tolerances',
    'operate a surface grinder',
    'weld with MIG/MAG',
    'organise own work',
    'document production data',
    'work in a team in manufacturing',
  ].map((name) => [`http://data.europa.eu/esco/skill/${illustrativeUuid(name)}`, name]),
];

const METHODS = ['practical-exam', 'workplace-observation', 'written-test', 'portfolio', 'simulation'];

/** `count` skill assessments (at most 20), as an assessment centre records them. */
export function assessments(count) {
  if (count > SKILLS.length) throw new Error(`at most ${SKILLS.length} assessments`);
  return SKILLS.slice(0, count).map(([uri, name], i) => ({
    skill: { uri, name },
    level: 1 + (i % 5),
    evidence: [
      {
        method: METHODS[i % METHODS.length],
        assessedOn: `2026-0${1 + (i % 9)}-1${i % 10}`,
        description: `Assessed on "${name}" at the metal-sector assessment centre.`,
        assessor: { name: 'J. de Vries' },
        score: 60 + ((i * 7) % 40),
      },
    ],
  }));
}

/** A Veramo 7 agent: in-memory keys and DIDs, did:key, JWT credentials and presentations (VC 1.1). */
export function createVeramoAgent() {
  return createAgent({
    plugins: [
      new KeyManager({
        store: new MemoryKeyStore(),
        kms: { local: new KeyManagementSystem(new MemoryPrivateKeyStore()) },
      }),
      new DIDManager({
        store: new MemoryDIDStore(),
        defaultProvider: 'did:key',
        providers: { 'did:key': new KeyDIDProvider({ defaultKms: 'local' }) },
      }),
      new DIDResolverPlugin({ ...getDidKeyResolver() }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  });
}

/** A core SigningKey for a Veramo did:key identifier; every signature goes through Veramo's key manager. */
export function keyManagerSigningKey(agent, identifier) {
  const key = identifier.keys[0];
  return {
    keyId: `${identifier.did}#${identifier.did.slice('did:key:'.length)}`,
    alg: 'EdDSA',
    sign: async (data) =>
      Buffer.from(
        await agent.keyManagerSign({
          keyRef: key.kid,
          data: Buffer.from(data).toString('hex'),
          encoding: 'base16',
          algorithm: 'EdDSA',
        }),
        'base64url',
      ),
  };
}

function illustrativeUuid(name) {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
