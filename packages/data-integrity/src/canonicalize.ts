import { createDocumentLoader, type DocumentLoader } from './document-loader.js';
import { type CanonicalResult, canonicalNQuads } from './internal/canonize.js';

export type { CanonicalResult } from './internal/canonize.js';

/** Options of {@link canonicalizeDocument}. */
export interface CanonicalizeOptions {
  /** Default: the offline {@link createDocumentLoader}. */
  documentLoader?: DocumentLoader;
}

let defaultLoader: DocumentLoader | undefined;

/**
 * The RDFC-1.0 canonical N-Quads of a JSON-LD document, as the Data Integrity `rdfc`
 * cryptosuites hash it: jsonld.js `toRDF` in safe mode, then rdf-canonize. Offline. Never
 * throws: ERR_CONTEXT_UNKNOWN, ERR_JSONLD_INVALID or ERR_INPUT_TOO_LARGE instead.
 *
 * @example
 * const result = await canonicalizeDocument(credentialWithoutProof);
 * if (result.ok) console.log(result.nquads);
 */
export async function canonicalizeDocument(
  document: unknown,
  options: CanonicalizeOptions = {},
): Promise<CanonicalResult> {
  defaultLoader ??= createDocumentLoader();
  return canonicalNQuads(document, options.documentLoader ?? defaultLoader);
}
