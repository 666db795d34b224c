import { isIP } from 'node:net';
import { type AddressClass, classifyAddress } from './address.js';
import type { OutboundErrorCode } from './errors.js';

/** Options of {@link checkOutboundUrl}. */
export interface CheckOutboundUrlOptions {
  /**
   * Admit loopback hosts (`localhost`, `*.localhost`, 127.0.0.0/8, `[::1]` and their mapped
   * forms), over plain http as well as https. For demos and tests; default false.
   */
  allowHttpLocalhost?: boolean;
}

/** Outcome of {@link checkOutboundUrl}. */
export type CheckOutboundUrlResult =
  | {
      ok: true;
      /** The URL to request: host lower-cased, one trailing dot removed. */
      url: URL;
      /** The host name or IP (IPv6 without brackets) to resolve or connect to. */
      host: string;
      /** True when the host is an IP literal (then there is nothing to resolve). */
      literal: boolean;
      /** True when the host is a loopback name or literal (admitted only under `allowHttpLocalhost`). */
      loopback: boolean;
    }
  | { ok: false; code: OutboundErrorCode };

// Names that never denote a public host, whatever a resolver answers (RFC 6761, RFC 6762,
// RFC 8375, and the `.internal` TLD reserved for private use).
const LOOPBACK_NAME = /(^|\.)localhost$/;
const PRIVATE_NAME = /(^|\.)(local|internal|home\.arpa)$/;

/**
 * The door's rule for a URL before anything is resolved or requested, also used by the issuer
 * for the URLs it is configured with: https only; plain http only to a loopback host and only
 * under `allowHttpLocalhost`; no credentials in the URL; an IP literal must be public (loopback
 * with the opt-in); `localhost` names count as loopback and `.local`, `.internal`, `.home.arpa`
 * as non-public. The host is read the way fetch reads it (WHATWG URL), so `localhost.`,
 * `localhost%2e`, `localhost。`, `0x7f.1` and `[::ffff:7f00:1]` are what they look like to a
 * resolver. Host names that pass still have every address of their DNS answer checked when
 * the door connects. Never throws.
 *
 * @example
 * checkOutboundUrl('https://localhost./list').ok; // false (ERR_OUTBOUND_HOST_NOT_PUBLIC)
 * checkOutboundUrl('http://[::1]:8080/status', { allowHttpLocalhost: true }).ok; // true
 */
export function checkOutboundUrl(
  url: string | URL,
  options: CheckOutboundUrlOptions = {},
): CheckOutboundUrlResult {
  return checkUrlWith(url, options, classifyAddress);
}

/** {@link checkOutboundUrl} with the address classifier given (the door passes its own). */
export function checkUrlWith(
  url: string | URL,
  options: CheckOutboundUrlOptions,
  classify: (address: string) => AddressClass,
): CheckOutboundUrlResult {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return { ok: false, code: 'ERR_OUTBOUND_URL' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return { ok: false, code: 'ERR_OUTBOUND_URL' };
  if (parsed.username !== '' || parsed.password !== '') return { ok: false, code: 'ERR_OUTBOUND_URL' };
  let host = parsed.hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '' || host.endsWith('.') || host.includes('..'))
    return { ok: false, code: 'ERR_OUTBOUND_URL' };
  const literal = isIP(host) !== 0;
  let kind: AddressClass;
  if (literal) kind = classify(host);
  else if (LOOPBACK_NAME.test(host)) kind = 'loopback';
  else if (PRIVATE_NAME.test(host)) kind = 'non-public';
  else kind = 'public';
  const optIn = options.allowHttpLocalhost === true;
  if (kind === 'non-public' || (kind === 'loopback' && !optIn))
    return { ok: false, code: 'ERR_OUTBOUND_HOST_NOT_PUBLIC' };
  if (parsed.protocol === 'http:' && kind !== 'loopback') return { ok: false, code: 'ERR_OUTBOUND_URL' };
  if (!literal && parsed.hostname !== host) parsed.hostname = host;
  return { ok: true, url: parsed, host, literal, loopback: kind === 'loopback' };
}
