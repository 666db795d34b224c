import { createDidResolver, type DidResolver, type DidResolverOptions, LIMITS } from '@skillpass/core';
import { createOutboundFetch } from '@skillpass/net';

/**
 * A DID resolver (did:key locally, did:web over the network) whose did:web fetches go through
 * the outbound door of @skillpass/net (`kind: 'did-document'`): https only, no redirect, the
 * host's DNS answer checked and pinned, connect/headers/body timeouts of `timeoutMs`, a body cap
 * of `maxDocumentBytes`. `allowHttpLocalhost` is handed to the door as well as to the URL rule.
 * A `fetch` in the options replaces the door (offline and test use only). This is the resolver
 * `createVerifier` builds when it is given none.
 *
 * @example
 * const resolver = createNetworkDidResolver();
 * const key = await resolver.resolveKey('did:web:centre.example#key-1', 'did:web:centre.example');
 */
export function createNetworkDidResolver(options: DidResolverOptions = {}): DidResolver {
  const timeoutMs = options.timeoutMs ?? LIMITS.didWebTimeoutMs;
  return createDidResolver({
    ...options,
    fetch:
      options.fetch ??
      createOutboundFetch({
        kind: 'did-document',
        allowHttpLocalhost: options.allowHttpLocalhost === true,
        maxBytes: options.maxDocumentBytes ?? LIMITS.maxDidDocumentBytes,
        connectTimeoutMs: timeoutMs,
        headersTimeoutMs: timeoutMs,
        bodyTimeoutMs: timeoutMs,
      }),
  });
}
