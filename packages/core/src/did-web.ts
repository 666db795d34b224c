import { SkillpassError } from './errors.js';

/** Options for turning a did:web into the URL of its DID document. */
export interface DidWebUrlOptions {
  /**
   * Allow plain `http://` for `localhost` and `127.0.0.1` only (tests and demos).
   * Default false: did:web is HTTPS only.
   */
  allowHttpLocalhost?: boolean;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
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
