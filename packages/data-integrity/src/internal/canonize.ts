import { createHash } from 'node:crypto';
import { isProblemCode, isSkillpassError, type ProblemCode } from '@skillpass/core';

import type { DocumentLoader } from '../document-loader.js';
import { type JsonLd, jsonld, rdfCanonize } from './vendor.js';

/** A canonicalisation result: the SHA-256 of the RDFC-1.0 N-Quads, or why there is none. */
export type HashResult =
  | { ok: true; hash: Buffer }
  | { ok: false; code: Exclude<ProblemCode, 'ERR_MALFORMED'>; message: string };

/** The RDFC-1.0 canonical N-Quads of a document, or why there are none. */
export type CanonicalResult =
  | { ok: true; nquads: string }
  | { ok: false; code: Exclude<ProblemCode, 'ERR_MALFORMED'>; message: string };

/** {@link canonicalNQuads}, hashed with SHA-256. */
export async function canonicalHash(document: unknown, documentLoader: DocumentLoader): Promise<HashResult> {
  const result = await canonicalNQuads(document, documentLoader);
  return result.ok ? { ok: true, hash: createHash('sha256').update(result.nquads).digest() } : result;
}

/**
 * Canonicalise a JSON-LD document with the reference libraries (jsonld.js toRDF in safe mode,
 * then rdf-canonize RDFC-1.0, exactly as Digital Bazaar's cryptosuites do). Never throws: an unknown context is ERR_CONTEXT_UNKNOWN, any other JSON-LD
 * failure (a protected term redefined, a term that expands to no absolute IRI, an invalid
 * context) ERR_JSONLD_INVALID, a blank-node graph too costly to canonicalise ERR_INPUT_TOO_LARGE.
 */
export async function canonicalNQuads(
  document: unknown,
  documentLoader: DocumentLoader,
): Promise<CanonicalResult> {
  return canonicalNQuadsWith(jsonld(), document, documentLoader);
}

/**
 * {@link canonicalNQuads} with a given jsonld.js instance: ours, or the library as published
 * (the tests hold the two equal).
 */
export async function canonicalNQuadsWith(
  processor: JsonLd,
  document: unknown,
  documentLoader: DocumentLoader,
): Promise<CanonicalResult> {
  let unknownContext: string | undefined;
  const loader: DocumentLoader = async (url) => {
    try {
      return await documentLoader(url);
    } catch (err) {
      unknownContext ??= url;
      throw err;
    }
  };
  try {
    const dataset = await processor.toRDF(document, {
      documentLoader: loader,
      safe: true,
      base: null,
      rdfDirection: 'i18n-datatype',
      produceGeneralizedRdf: false,
    });
    const nquads = rdfCanonize()._canonizeSync(dataset, {
      algorithm: 'RDFC-1.0',
      format: 'application/n-quads',
      maxWorkFactor: 1,
    });
    return { ok: true, nquads };
  } catch (err) {
    if (unknownContext !== undefined) {
      return {
        ok: false,
        code: 'ERR_CONTEXT_UNKNOWN',
        message: `context ${unknownContext.slice(0, 200)} is not available offline`,
      };
    }
    if (isSkillpassError(err) && isProblemCode(err.code) && err.code !== 'ERR_MALFORMED') {
      return { ok: false, code: err.code, message: err.message };
    }
    const message = err instanceof Error ? err.message : String(err);
    if (message.startsWith('Maximum deep iterations exceeded')) {
      return {
        ok: false,
        code: 'ERR_INPUT_TOO_LARGE',
        message: 'the blank-node graph is too costly to canonicalise',
      };
    }
    return {
      ok: false,
      code: 'ERR_JSONLD_INVALID',
      message: `not processable JSON-LD: ${jsonLdReason(err)}`,
    };
  }
}

/** jsonld.js errors carry a `details.code` ("protected term redefinition", …); use it when present. */
function jsonLdReason(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const details = (err as { details?: { code?: unknown; event?: { code?: unknown } } }).details;
    const code = details?.code ?? details?.event?.code;
    if (typeof code === 'string') return code;
    if (err instanceof Error) return err.message.slice(0, 200);
  }
  return String(err).slice(0, 200);
}
