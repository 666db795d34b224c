import { createDidResolver } from '@skillpass/core';
import { createOutboundFetch } from '@skillpass/net';
import type { DIDDocument, DIDResolver } from 'did-resolver';

/**
 * A did:web resolver for Veramo's DIDResolverPlugin that fetches through the outbound door of
 * @skillpass/net (https only, no redirect, DNS answer checked and pinned, size and time capped)
 * instead of web-did-resolver's unguarded global fetch.
 */
export function doorDidWebResolver(): Record<string, DIDResolver> {
  const resolver = createDidResolver({ fetch: createOutboundFetch({ kind: 'did-document' }) });
  return {
    web: async (did) => {
      const result = await resolver.resolve(did);
      return result.ok
        ? {
            didResolutionMetadata: { contentType: 'application/did+json' },
            didDocument: result.document as unknown as DIDDocument,
            didDocumentMetadata: {},
          }
        : {
            didResolutionMetadata: { error: 'notFound', message: result.code },
            didDocument: null,
            didDocumentMetadata: {},
          };
    },
  };
}
