import { SkillpassError } from './errors.js';

/** Options for turning a did:web into the URL of its DID document. */
export interface DidWebUrlOptions {
  /**
   * Give `localhost` and 127.x hosts a plain `http://` URL (tests and demos). Default false:
   * did:web is HTTPS only. This only forms the URL; whether it may be fetched is decided by the
   * outbound door (@skillpass/net), under its own `allowHttpLocalhost`.
   */
  allowHttpLocalhost?: boolean;
}

// Bracketed IPv6 literals never get here: HOST_RE rejects them.
const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;
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
  const scheme = options.allowHttpLocalhost && LOOPBACK_HOST.test(hostname) ? 'http' : 'https';
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
