import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { didWebToUrl } from '@skillpass/core';
import type { Issuer } from './issuer.js';

/** Options of {@link createStatusHandler}. */
export interface StatusHandlerOptions {
  /** Also serve the did:web document at its path (`/.well-known/did.json`). Default true for did:web. */
  serveDidDocument?: boolean;
  /** `Cache-Control: max-age` for lists, in seconds. Default the lists' `ttl`. */
  maxAgeSeconds?: number;
}

/**
 * A node:http request handler. `next` (Express/Connect style) is called without an argument for
 * paths it does not serve, and with the error when a list cannot be read or signed (without
 * `next`, that is answered 503). The returned promise never rejects.
 */
export type StatusRequestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (err?: unknown) => void,
) => Promise<void>;

/**
 * Serve an issuer's status lists at `<statusBaseUrl path>/<n>` (signed vc+jwt, re-signed only
 * after a change), its IETF Token Status Lists at `<statusBaseUrl path>/token/<n>`
 * (`application/statuslist+jwt`) and its did:web document, with `Cache-Control`, an `ETag` and
 * `If-None-Match` → 304. A list's ETag is weak and names its content (see
 * `SignedStatusList.etag`), so it survives restarts and is the same on every instance;
 * the DID document's is the SHA-256 of its body. Works with `http.createServer(handler)` and as Express/Connect middleware.
 * When the issuer cannot read or sign a list (closed file, SQLite busy, KMS failure) it answers
 * 503 with `Retry-After`, or calls `next(err)` when given. An issuer created without status
 * lists serves no list (404, or `next()`).
 */
export function createStatusHandler(
  issuer: Issuer,
  options: StatusHandlerOptions = {},
): StatusRequestHandler {
  // An issuer without status lists serves none: every list path is "not found".
  const base = issuer.profile.statusBaseUrl;
  const listPrefix = base === undefined ? undefined : `${new URL(base).pathname.replace(/\/+$/, '')}/`;
  const didUrl = issuer.did.startsWith('did:web:')
    ? didWebToUrl(issuer.did, { allowHttpLocalhost: true })
    : undefined;
  const didPath =
    options.serveDidDocument === false || didUrl === undefined ? undefined : new URL(didUrl).pathname;
  const maxAge = options.maxAgeSeconds ?? Math.floor(issuer.profile.statusTtlMs / 1000);
  let didBody: string | undefined;

  return async (req, res, next) => {
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return send(req, res, 400, 'text/plain', 'bad request', 0);
    }
    let body: string | undefined;
    let etag: string | undefined;
    let type = 'application/vc+jwt';
    try {
      if (didPath !== undefined && path === didPath) {
        didBody ??= JSON.stringify(issuer.didDocument(), null, 2);
        body = didBody;
        etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
        type = 'application/did+json';
      } else if (
        listPrefix !== undefined &&
        path.startsWith(listPrefix) &&
        /^[1-9][0-9]{0,9}$/.test(path.slice(listPrefix.length))
      ) {
        const list = await issuer.signedStatusList(Number(path.slice(listPrefix.length)));
        body = list?.token;
        etag = list?.etag;
      } else if (
        listPrefix !== undefined &&
        path.startsWith(`${listPrefix}token/`) &&
        /^[1-9][0-9]{0,9}$/.test(path.slice(listPrefix.length + 6))
      ) {
        const list = await issuer.signedTokenStatusList(Number(path.slice(listPrefix.length + 6)));
        body = list?.token;
        etag = list?.etag;
        type = 'application/statuslist+jwt';
      }
    } catch (err) {
      // A closed or busy store, or a failing key manager: a rejected promise would take down
      // a plain node:http server, so answer "try again later" (or hand it to the framework).
      if (next !== undefined) {
        next(err);
        return;
      }
      res.setHeader('Retry-After', '5');
      return send(req, res, 503, 'text/plain', 'service unavailable', 0);
    }
    if (body === undefined || etag === undefined) {
      if (next !== undefined) return next();
      return send(req, res, 404, 'text/plain', 'not found', 0);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(req, res, 405, 'text/plain', 'method not allowed', 0);
    }
    res.setHeader('ETag', etag);
    if (matchesEtag(req.headers['if-none-match'], etag)) return send(req, res, 304, type, '', maxAge);
    return send(req, res, 200, type, body, maxAge);
  };
}

/** Weak comparison (RFC 9110 §13.1.2), as If-None-Match asks for. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = etag.replace(/^W\//, '');
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === opaque || t === '*');
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  maxAge: number,
): void {
  res.statusCode = status;
  if (status < 400) {
    res.setHeader('Cache-Control', `public, max-age=${maxAge}`);
    // Status lists and DID documents are public; browser-based verifiers fetch them cross-origin.
    res.setHeader('Access-Control-Allow-Origin', '*');
  } else {
    res.setHeader('Cache-Control', 'no-store');
  }
  if (status !== 304) {
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', Buffer.byteLength(body));
  }
  res.end(req.method === 'HEAD' || status === 304 ? undefined : body);
}
