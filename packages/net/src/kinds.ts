/**
 * The kinds of document skillpass fetches. Each has its own limits ({@link OUTBOUND_KINDS}):
 * a DID document is small and lives at one URL; a status list is large and may be served
 * gzipped behind a CDN redirect.
 */
export type OutboundKind = 'did-document' | 'status-list' | 'issuer-profile' | 'openid4vc';

/** The limits of one {@link OutboundKind}; every one can be narrowed per use. */
export interface OutboundKindLimits {
  /** Largest body accepted, in bytes, counted after decompression. */
  maxBytes: number;
  /** Whether `Content-Encoding: gzip` is asked for and accepted (identity always is). */
  gzip: boolean;
  /** Most redirects followed (each hop checked before it is requested); 0 refuses every redirect. */
  maxRedirects: number;
  /** `Accept` header sent when the caller sets none. */
  accept: string;
}

/**
 * Default limits per kind of document.
 * - `did-document`: 100 KiB, no gzip, no redirect (did:web names exactly one URL).
 * - `status-list`: 4 MiB after decompression, gzip accepted, 3 redirects.
 * - `issuer-profile`: 256 KiB, no gzip, 3 redirects.
 * - `openid4vc`: 1 MiB, no gzip, 3 redirects (metadata, offers, request objects, token and
 *   credential responses requested by the OpenID4VCI/VP libraries through their `fetch` callback).
 */
export const OUTBOUND_KINDS: Readonly<Record<OutboundKind, Readonly<OutboundKindLimits>>> = {
  'did-document': {
    maxBytes: 100 * 1024,
    gzip: false,
    maxRedirects: 0,
    accept: 'application/did+json, application/json',
  },
  'status-list': {
    maxBytes: 4 * 1024 * 1024,
    gzip: true,
    maxRedirects: 3,
    accept: 'application/vc+jwt, application/jwt',
  },
  'issuer-profile': {
    maxBytes: 256 * 1024,
    gzip: false,
    maxRedirects: 3,
    accept: 'application/json, application/ld+json',
  },
  openid4vc: { maxBytes: 1024 * 1024, gzip: false, maxRedirects: 3, accept: 'application/json' },
};
