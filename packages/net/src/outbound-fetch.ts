import { buildDoor, SYSTEM_NETWORK } from './internal/door.js';
import type { OutboundKind } from './kinds.js';

/** Options of {@link createOutboundFetch}: the kind of document and per-use limits. */
export interface OutboundFetchOptions {
  /** What is fetched; sets the default body cap, gzip and redirect limits (see `OUTBOUND_KINDS`). */
  kind: OutboundKind;
  /**
   * Admit loopback hosts (`localhost`, 127.0.0.0/8, `[::1]`), over plain http too, and then
   * only when every address of the answer is loopback. For demos and tests; default false.
   */
  allowHttpLocalhost?: boolean;
  /** Largest body accepted, in bytes, after decompression. Default: the kind's. */
  maxBytes?: number;
  /** Most redirects followed, each checked before it is requested. Default: the kind's. */
  maxRedirects?: number;
  /** Time to establish a connection (TCP and TLS), in ms. Default 5,000. */
  connectTimeoutMs?: number;
  /** Time from sending the request to the end of the response headers, in ms. Default 5,000. */
  headersTimeoutMs?: number;
  /** Time to receive the whole body once the headers are in, in ms. Default 10,000. */
  bodyTimeoutMs?: number;
}

/**
 * A `fetch`-compatible function (same call shape as the global `fetch`) whose every request
 * goes through skillpass's one outbound door. It resolves to a standard `Response` with the
 * body already read (under the cap and the deadline) and decompressed; a non-2xx answer is a
 * normal `Response`. It rejects with an {@link OutboundError} when the door refuses or
 * abandons the request.
 */
export type OutboundFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Create the door for one use. Every request it makes:
 * - goes to https only (plain http only to loopback, under `allowHttpLocalhost`);
 * - follows redirects by hand (`redirect: 'manual'` and `'error'` are honoured), checking each
 *   hop before it is requested, at most `maxRedirects` hops, never a loop;
 * - resolves the host itself (node:dns, every address of the answer) and refuses the request
 *   when any address is not public (IPv4 and IPv6, mapped and embedded forms, see
 *   `classifyAddress`), then connects to exactly the addresses it checked;
 * - times out on connect, on headers and on the whole body; caps the body per kind, after
 *   decompression, and accepts gzip only where the kind allows it.
 * Errors carry a stable code and the caller's URL only. Pass the result wherever a library
 * takes a `fetch` callback.
 *
 * @throws TypeError for an unknown kind or a negative limit (programmer errors, at creation).
 * @example
 * const fetchList = createOutboundFetch({ kind: 'status-list' });
 * const res = await fetchList('https://centre.example/status/1'); // or OutboundError
 * const token = await res.text();
 */
export function createOutboundFetch(options: OutboundFetchOptions): OutboundFetch {
  return buildDoor(options, SYSTEM_NETWORK);
}
