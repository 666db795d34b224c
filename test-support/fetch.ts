import type { FetchLike } from '@skillpass/core';

/**
 * A fetch serving fixed bodies by URL (404 for any other URL), recording every URL asked for in
 * `calls`, so a test can assert what was (or was not) fetched.
 */
export function staticFetch(bodies: Record<string, string> = {}): FetchLike & { calls: string[] } {
  const calls: string[] = [];
  const fn: FetchLike = async (url) => {
    calls.push(url);
    const body = bodies[url];
    return { ok: body !== undefined, status: body === undefined ? 404 : 200, text: async () => body ?? '' };
  };
  return Object.assign(fn, { calls });
}
