import type { CredentialFormat } from './types.js';

const MEDIA_TYPES: Record<CredentialFormat, string> = {
  'vc+jwt': 'application/vc+jwt',
  'jwt-vc-1.1': 'application/jwt',
  'dc+sd-jwt': 'application/dc+sd-jwt',
  // a Data Integrity credential is embedded in a presentation as itself, not enveloped
  ldp_vc: 'application/vc',
};

/** A VC 2.0 EnvelopedVerifiableCredential: a signed credential carried as a data: URL. */
export interface EnvelopedCredential {
  '@context': string[];
  type: 'EnvelopedVerifiableCredential';
  id: string;
}

/** Wrap a signed credential token for a VC 2.0 presentation. */
export function envelopeCredential(token: string, format: CredentialFormat): EnvelopedCredential {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: 'EnvelopedVerifiableCredential',
    id: `data:${MEDIA_TYPES[format]},${token}`,
  };
}

/** The media type and token of an enveloped credential, or undefined when it is not one. */
export function openEnvelope(value: unknown): { mediaType: string; token: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, id } = value as { type?: unknown; id?: unknown };
  if (type !== 'EnvelopedVerifiableCredential' || typeof id !== 'string' || !id.startsWith('data:'))
    return undefined;
  const comma = id.indexOf(',');
  if (comma < 0) return undefined;
  return { mediaType: id.slice(5, comma), token: id.slice(comma + 1) };
}
