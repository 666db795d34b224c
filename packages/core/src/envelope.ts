import { isJsonObject } from './internal/json.js';

/** A VC 2.0 EnvelopedVerifiableCredential: a signed credential carried as a data: URL. */
export interface EnvelopedCredential {
  '@context': string[];
  type: 'EnvelopedVerifiableCredential';
  id: string;
}

/**
 * Wrap a signed credential token for a VC 2.0 presentation, under the media type of its format
 * (the verifier's format registry names it: `envelopeMediaType` in @skillpass/verifier).
 */
export function envelopeCredential(token: string, mediaType: string): EnvelopedCredential {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: 'EnvelopedVerifiableCredential',
    id: `data:${mediaType},${token}`,
  };
}

/**
 * The media type and token of an enveloped credential, or undefined when it is not one. `type`
 * may be the string or an array holding it (VC 2.0 allows an array for every `type`).
 */
export function openEnvelope(value: unknown): { mediaType: string; token: string } | undefined {
  if (!isJsonObject(value)) return undefined;
  const { type, id } = value;
  const enveloped = Array.isArray(type)
    ? type.includes('EnvelopedVerifiableCredential')
    : type === 'EnvelopedVerifiableCredential';
  if (!enveloped || typeof id !== 'string' || !id.startsWith('data:')) return undefined;
  const comma = id.indexOf(',');
  if (comma < 0) return undefined;
  return { mediaType: id.slice(5, comma), token: id.slice(comma + 1) };
}
