import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Agent } from 'undici';
import { type AddressClass, classifyAddress } from '../address.js';
import { checkUrlWith } from '../check-url.js';
import { OutboundError, type OutboundErrorCode } from '../errors.js';
import { OUTBOUND_KINDS, type OutboundKind } from '../kinds.js';

const gunzipAsync = promisify(gunzip);

/** Options of the door; see `createOutboundFetch` for each. */
export interface DoorOptions {
  kind: OutboundKind;
  allowHttpLocalhost?: boolean;
  maxBytes?: number;
  maxRedirects?: number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

/**
 * What the door asks of the network: how names resolve and what an address is. The system's
 * (node:dns lookup, {@link classifyAddress}) in production; tests give their own to map test
 * names to chosen loopback addresses. Not reachable from the package's public entry.
 */
export interface DoorNetwork {
  lookup(hostname: string): Promise<LookupAddress[]>;
  classify(address: string): AddressClass;
  /** Extra trusted CA certificates (PEM), for test servers. */
  ca?: string;
}

/** The system network: getaddrinfo through node:dns, every address of the answer. */
export const SYSTEM_NETWORK: DoorNetwork = {
  lookup: (hostname) => dnsLookup(hostname, { all: true, verbatim: true }),
  classify: classifyAddress,
};

/** A `fetch`-compatible function that goes through the door. */
export type DoorFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const DEFAULT_HEADERS_TIMEOUT_MS = 5000;
const DEFAULT_BODY_TIMEOUT_MS = 10_000;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
// Headers the door sets itself, or that make no sense to forward.
const DROPPED_REQUEST_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'accept-encoding',
  'upgrade',
  'te',
  'trailer',
  'proxy-connection',
]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
const DROPPED_RESPONSE_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding']);

/** Marks an error the door's own lookup raised, so it survives undici's wrapping with its code. */
const REFUSAL = Symbol('skillpass.net.refusal');
type Tagged = Error & { [REFUSAL]?: OutboundErrorCode };

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new TypeError(`createOutboundFetch: ${name} must be a non-negative number`);
  return value;
}

/**
 * Build the door over a {@link DoorNetwork}. The public `createOutboundFetch` passes
 * {@link SYSTEM_NETWORK}; only tests pass anything else.
 */
export function buildDoor(options: DoorOptions, network: DoorNetwork): DoorFetch {
  const limits = OUTBOUND_KINDS[options.kind];
  if (limits === undefined) throw new TypeError(`createOutboundFetch: unknown kind ${String(options.kind)}`);
  const allowLoopback = options.allowHttpLocalhost === true;
  const maxBytes = positive('maxBytes', options.maxBytes, limits.maxBytes);
  const maxRedirects = positive('maxRedirects', options.maxRedirects, limits.maxRedirects);
  const connectTimeout = positive('connectTimeoutMs', options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS);
  const headersTimeout = positive('headersTimeoutMs', options.headersTimeoutMs, DEFAULT_HEADERS_TIMEOUT_MS);
  const bodyTimeout = positive('bodyTimeoutMs', options.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS);

  /**
   * The only way a host name becomes an address: the whole answer is checked, and the
   * connection is made to the addresses checked here (net.connect uses this lookup, so no
   * second DNS answer can differ from the checked one).
   */
  function guardedLookup(
    hostname: string,
    lookupOptions: { all?: boolean; family?: number | string },
    callback: (err: Error | null, address?: string | LookupAddress[], family?: number) => void,
  ): void {
    const wantLoopback = allowLoopback && /(^|\.)localhost$/.test(hostname.toLowerCase().replace(/\.$/, ''));
    network.lookup(hostname).then(
      (answer) => {
        if (answer.length === 0) return callback(tag(new Error('no address'), 'ERR_OUTBOUND_DNS'));
        for (const { address } of answer) {
          const kind = network.classify(address);
          const admitted = wantLoopback ? kind === 'loopback' : kind === 'public';
          if (!admitted) return callback(tag(new Error('address refused'), 'ERR_OUTBOUND_HOST_NOT_PUBLIC'));
        }
        const family = Number(String(lookupOptions.family ?? 0).replace('IPv', ''));
        const usable = family === 4 || family === 6 ? answer.filter((a) => a.family === family) : answer;
        if (usable.length === 0) return callback(tag(new Error('no address'), 'ERR_OUTBOUND_DNS'));
        if (lookupOptions.all === true) return callback(null, usable);
        return callback(null, usable[0]!.address, usable[0]!.family);
      },
      () => callback(tag(new Error('lookup failed'), 'ERR_OUTBOUND_DNS')),
    );
  }

  let agent: Agent | undefined;
  const dispatcher = (): Agent => {
    agent ??= new Agent({
      connect: {
        timeout: connectTimeout,
        lookup: guardedLookup as never,
        ...(network.ca === undefined ? {} : { ca: network.ca }),
      },
      headersTimeout,
      bodyTimeout,
      keepAliveTimeout: 1000,
    });
    return agent;
  };

  return async function outboundFetch(input, init) {
    const givenUrl = input instanceof Request ? input.url : String(input);
    const fail = (code: OutboundErrorCode): OutboundError => new OutboundError(code, givenUrl);
    let request: Request;
    try {
      request = new Request(input, init);
    } catch {
      throw fail('ERR_OUTBOUND_URL');
    }
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (signal?.aborted) throw fail('ERR_OUTBOUND_ABORTED');
    const first = checkUrlWith(givenUrl, { allowHttpLocalhost: allowLoopback }, network.classify);
    if (!first.ok) throw fail(first.code);

    let method = request.method;
    let body: Uint8Array | undefined =
      request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      if (!DROPPED_REQUEST_HEADERS.has(name)) headers[name] = value;
    });
    headers.accept ??= limits.accept;
    headers['accept-encoding'] = limits.gzip ? 'gzip' : 'identity';

    let url = first.url;
    const seen = new Set([url.href]);
    for (let hop = 0; ; hop++) {
      const answer = await send(url, method, headers, body, signal, fail);
      const location = answer.headers.location;
      if (REDIRECTS.has(answer.statusCode) && typeof location === 'string') {
        answer.body.destroy();
        if (request.redirect === 'manual')
          return toResponse(answer.statusCode, answer.headers, null, url, hop > 0);
        if (request.redirect === 'error' || hop >= maxRedirects) throw fail('ERR_OUTBOUND_REDIRECT');
        let target: URL;
        try {
          target = new URL(location, url);
        } catch {
          throw fail('ERR_OUTBOUND_REDIRECT');
        }
        const next = checkUrlWith(target, { allowHttpLocalhost: allowLoopback }, network.classify);
        if (!next.ok) throw fail(next.code);
        if (seen.has(next.url.href)) throw fail('ERR_OUTBOUND_REDIRECT');
        seen.add(next.url.href);
        if (next.url.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
        if (
          answer.statusCode === 303
            ? method !== 'HEAD'
            : (answer.statusCode === 301 || answer.statusCode === 302) && method === 'POST'
        ) {
          method = 'GET';
          body = undefined;
          delete headers['content-type'];
        }
        url = next.url;
        continue;
      }
      const bytes =
        NULL_BODY.has(answer.statusCode) || method === 'HEAD' ? null : await readBody(answer, fail, signal);
      if (bytes === null) answer.body.destroy();
      return toResponse(answer.statusCode, answer.headers, bytes, url, hop > 0);
    }
  };

  async function send(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: Uint8Array | undefined,
    signal: AbortSignal | undefined,
    fail: (code: OutboundErrorCode) => OutboundError,
  ): Promise<{ statusCode: number; headers: Record<string, string | string[] | undefined>; body: Readable }> {
    try {
      const answer = await dispatcher().request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: method as 'GET',
        headers,
        ...(body === undefined ? {} : { body }),
        ...(signal === undefined ? {} : { signal }),
        headersTimeout,
        bodyTimeout,
      });
      // Destroying a body (redirect, refusal, cap) emits an abort error nobody else awaits.
      answer.body.on('error', () => {});
      return answer as unknown as {
        statusCode: number;
        headers: Record<string, string | string[] | undefined>;
        body: Readable;
      };
    } catch (err) {
      throw fail(signal?.aborted ? 'ERR_OUTBOUND_ABORTED' : codeOf(err, 'ERR_OUTBOUND_CONNECTION'));
    }
  }

  /** The body, under the byte cap (after decompression) and the body deadline. */
  async function readBody(
    answer: { headers: Record<string, string | string[] | undefined>; body: Readable },
    fail: (code: OutboundErrorCode) => OutboundError,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    const encoding = String(answer.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    const gzipped = encoding === 'gzip' || encoding === 'x-gzip';
    if (!(encoding === 'identity' || encoding === '' || (gzipped && limits.gzip))) {
      answer.body.destroy();
      throw fail('ERR_OUTBOUND_ENCODING');
    }
    const declared = Number(answer.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      answer.body.destroy();
      throw fail('ERR_OUTBOUND_TOO_LARGE');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      answer.body.destroy();
    }, bodyTimeout);
    try {
      for await (const chunk of answer.body) {
        size += (chunk as Buffer).byteLength;
        if (size > maxBytes) {
          answer.body.destroy();
          throw fail('ERR_OUTBOUND_TOO_LARGE');
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      if (err instanceof OutboundError) throw err;
      if (timedOut) throw fail('ERR_OUTBOUND_BODY_TIMEOUT');
      throw fail(signal?.aborted ? 'ERR_OUTBOUND_ABORTED' : codeOf(err, 'ERR_OUTBOUND_CONNECTION'));
    } finally {
      clearTimeout(timer);
    }
    if (timedOut) throw fail('ERR_OUTBOUND_BODY_TIMEOUT');
    const raw = Buffer.concat(chunks, size);
    if (!gzipped) return raw;
    try {
      return await gunzipAsync(raw, { maxOutputLength: maxBytes });
    } catch (err) {
      throw fail(
        (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
          ? 'ERR_OUTBOUND_TOO_LARGE'
          : 'ERR_OUTBOUND_ENCODING',
      );
    }
  }
}

function tag(err: Error, code: OutboundErrorCode): Tagged {
  (err as Tagged)[REFUSAL] = code;
  return err;
}

/** The door's code for an error from undici (or from its own lookup, however wrapped). */
function codeOf(err: unknown, fallback: OutboundErrorCode): OutboundErrorCode {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const tagged = (e as Tagged)[REFUSAL];
    if (tagged !== undefined) return tagged;
    switch ((e as { code?: string }).code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return 'ERR_OUTBOUND_CONNECT_TIMEOUT';
      case 'UND_ERR_HEADERS_TIMEOUT':
        return 'ERR_OUTBOUND_HEADERS_TIMEOUT';
      case 'UND_ERR_BODY_TIMEOUT':
        return 'ERR_OUTBOUND_BODY_TIMEOUT';
      case 'UND_ERR_HEADERS_OVERFLOW':
        return 'ERR_OUTBOUND_TOO_LARGE';
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return 'ERR_OUTBOUND_DNS';
    }
  }
  return fallback;
}

function toResponse(
  status: number,
  raw: Record<string, string | string[] | undefined>,
  bytes: Uint8Array | null,
  url: URL,
  redirected: boolean,
): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  // A Response cannot carry 1xx; a server answering one as final is a broken connection.
  const response = new Response(bytes, { status: status < 200 ? 502 : status, headers });
  Object.defineProperty(response, 'url', { value: url.href });
  Object.defineProperty(response, 'redirected', { value: redirected });
  return response;
}
