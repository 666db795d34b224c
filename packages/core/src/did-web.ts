import { SkillpassError } from './errors.js';

/** Options for turning a did:web into the URL of its DID document. */
export interface DidWebUrlOptions {
  /**
   * Allow plain `http://` for `localhost` and `127.0.0.1` only (tests and demos).
   * Default false: did:web is HTTPS only.
   */
  allowHttpLocalhost?: boolean;
}

// Bracketed IPv6 literals never get here: HOST_RE rejects them.
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);
const HOST_RE =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?::\d{1,5})?$/;

/**
 * The HTTPS URL of a did:web's DID document, per the did:web method specification:
 * `did:web:example.com` → `https://example.com/.well-known/did.json`,
 * `did:web:example.com%3A3000:user:alice` → `https://example.com:3000/user/alice/did.json`.
 * Returns undefined when the DID is not a well-formed did:web.
 */
export function didWebToUrl(did: string, options: DidWebUrlOptions = {}): string | undefined {
  if (!did.startsWith('did:web:') || did.length > 2048 || did.includes('#') || did.includes('?'))
    return undefined;
  const segments = did.slice('did:web:'.length).split(':');
  let decoded: string[];
  try {
    decoded = segments.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  const host = decoded[0]!;
  if (!HOST_RE.test(host)) return undefined;
  const path = decoded.slice(1);
  if (path.some((p) => p.length === 0 || p === '.' || p === '..' || /[/\\?#]/.test(p))) return undefined;
  const hostname = host.replace(/:\d+$/, '');
  const scheme = options.allowHttpLocalhost && LOCAL_HOSTS.has(hostname) ? 'http' : 'https';
  const suffix =
    path.length === 0 ? '.well-known/did.json' : `${path.map(encodeURIComponent).join('/')}/did.json`;
  return `${scheme}://${host}/${suffix}`;
}

/**
 * The did:web for a host (and optional path), percent-encoding a port:
 * `didWebFromHost('localhost:8443')` → `did:web:localhost%3A8443`.
 */
export function didWebFromHost(host: string, path: readonly string[] = []): string {
  if (!HOST_RE.test(host)) throw new SkillpassError('ERR_INVALID_OPTIONS', `not a host name: ${host}`);
  return ['did:web', host.replace(':', '%3A'), ...path.map(encodeURIComponent)].join(':');
}

/**
 * True when `url`'s host is not a public internet host: `localhost` (and `*.localhost`), or an
 * IPv4 literal that is loopback, private (RFC 1918), carrier-grade NAT, link-local (which holds
 * cloud metadata services such as 169.254.169.254), "this network", benchmarking, multicast or
 * reserved, or any IPv6 literal. The host is read the way fetch reads it (WHATWG URL), so
 * `2130706433`, `0x7f.1` and `127.1` count as 127.0.0.1. Host names that merely resolve to
 * such addresses in DNS are not detected here. An unparsable URL counts as not public.
 */
export function isNonPublicUrl(url: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.toLowerCase();
  } catch {
    return true;
  }
  if (hostname === 'localhost' || hostname.endsWith('.localhost') || hostname.endsWith('.localhost.'))
    return true;
  if (hostname.startsWith('[')) return true;
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  if (ipv4 === null) return false;
  const [a, b, c] = ipv4.slice(1, 4).map(Number) as [number, number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && c === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** Which hosts a fetch on behalf of untrusted input may reach (did:web documents, status lists). */
export interface FetchHostPolicy {
  /** Admit `localhost` / `127.0.0.1`, over https or plain http (demos, tests). */
  allowHttpLocalhost?: boolean;
  /** Admit https on non-public hosts (see {@link isNonPublicUrl}), e.g. an intranet. */
  allowPrivateHosts?: boolean;
}

/**
 * True when a fetch of `url` is allowed under `policy`: https to a public host; https to a
 * non-public host only with `allowPrivateHosts`; localhost / 127.0.0.1 (https or http) only with
 * `allowHttpLocalhost`. Anything else, or an unparsable URL, is refused.
 */
export function isFetchAllowed(url: string, policy: FetchHostPolicy = {}): boolean {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return false;
  }
  const optInLocal = policy.allowHttpLocalhost === true && isOptInLocalUrl(url);
  if (protocol === 'http:') return optInLocal;
  if (protocol !== 'https:') return false;
  return !isNonPublicUrl(url) || policy.allowPrivateHosts === true || optInLocal;
}

/**
 * True when `url` names one of the hosts `allowHttpLocalhost` opts in to (`localhost`,
 * `127.0.0.1`), as fetch reads the host.
 */
function isOptInLocalUrl(url: string): boolean {
  try {
    return LOCAL_HOSTS.has(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}
