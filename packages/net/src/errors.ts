/**
 * Every reason the door refuses or abandons an outbound request. Codes are part of the public
 * contract: they never change meaning and are never renamed.
 */
export const OUTBOUND_ERROR_CODES = [
  /** The URL does not parse, carries credentials, or uses a scheme other than https (and opted-in loopback http). */
  'ERR_OUTBOUND_URL',
  /** The host is not a public internet host: by its name, its IP literal, or an address in its DNS answer. */
  'ERR_OUTBOUND_HOST_NOT_PUBLIC',
  /** The host name did not resolve. */
  'ERR_OUTBOUND_DNS',
  /** A redirect was not allowed for this kind, had no usable Location, looped, or went over the hop limit. */
  'ERR_OUTBOUND_REDIRECT',
  /** No connection within the connect timeout. */
  'ERR_OUTBOUND_CONNECT_TIMEOUT',
  /** The response headers did not arrive within the headers timeout. */
  'ERR_OUTBOUND_HEADERS_TIMEOUT',
  /** The whole body did not arrive within the body timeout (slow or endless bodies). */
  'ERR_OUTBOUND_BODY_TIMEOUT',
  /** The body (after decompression) is over the cap for this kind of document. */
  'ERR_OUTBOUND_TOO_LARGE',
  /** A content encoding this kind does not accept, or a body that does not decompress. */
  'ERR_OUTBOUND_ENCODING',
  /** The connection failed (refused, reset, TLS failure, protocol error). */
  'ERR_OUTBOUND_CONNECTION',
  /** The caller aborted the request. */
  'ERR_OUTBOUND_ABORTED',
] as const;

/** A stable, machine-readable code of an {@link OutboundError}. */
export type OutboundErrorCode = (typeof OUTBOUND_ERROR_CODES)[number];

const SAY: Record<OutboundErrorCode, string> = {
  ERR_OUTBOUND_URL: 'the URL is not an allowed https URL',
  ERR_OUTBOUND_HOST_NOT_PUBLIC: 'the host is not a public internet host',
  ERR_OUTBOUND_DNS: 'the host name did not resolve',
  ERR_OUTBOUND_REDIRECT: 'a redirect was refused',
  ERR_OUTBOUND_CONNECT_TIMEOUT: 'the connection timed out',
  ERR_OUTBOUND_HEADERS_TIMEOUT: 'the response did not start in time',
  ERR_OUTBOUND_BODY_TIMEOUT: 'the response body did not arrive in time',
  ERR_OUTBOUND_TOO_LARGE: 'the response body is over the size limit',
  ERR_OUTBOUND_ENCODING: 'the response encoding is not accepted',
  ERR_OUTBOUND_CONNECTION: 'the connection failed',
  ERR_OUTBOUND_ABORTED: 'the request was aborted',
};

/**
 * Why the door refused or abandoned a request. The message holds a fixed sentence for the code
 * and the URL the caller asked for, nothing else: no redirect target, no address from DNS, no
 * status code, header or body of the answer (a report must not become an oracle about a host
 * the caller cannot reach itself). No `cause` is attached for the same reason.
 *
 * @example
 * try { await fetch(url); } catch (err) { if (isOutboundError(err)) console.log(err.code); }
 */
export class OutboundError extends Error {
  /** Stable code; assert on this, never on `message`. */
  readonly code: OutboundErrorCode;
  /** The URL the caller asked for (never a later hop). */
  readonly url: string;

  /** @param code why; @param url the URL the caller asked for. */
  constructor(code: OutboundErrorCode, url: string) {
    super(`${SAY[code]}: ${shortUrl(url)}`);
    this.name = 'OutboundError';
    this.code = code;
    this.url = url;
  }
}

/** True when `value` is an {@link OutboundError}. */
export function isOutboundError(value: unknown): value is OutboundError {
  return value instanceof OutboundError;
}

function shortUrl(url: string): string {
  return url.length > 200 ? `${url.slice(0, 197)}...` : url;
}
