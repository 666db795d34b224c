import { setGlobalConfig } from '@openid4vc/utils';

/** True for an http(s) URL on a loopback host (127.0.0.1, localhost, [::1]). */
function isLoopbackUrl(url: string): boolean {
  try {
    const { hostname } = new URL(url);
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  } catch {
    return false;
  }
}

/**
 * The `@openid4vc` libraries refuse http URLs unless a process-wide switch is on. Turn it on only
 * for an http URL on a loopback host, which the caller has opted into (tests and demos).
 */
export function allowLoopbackUrls(url: string): void {
  if (url.startsWith('http://') && isLoopbackUrl(url)) setGlobalConfig({ allowInsecureUrls: true });
}
