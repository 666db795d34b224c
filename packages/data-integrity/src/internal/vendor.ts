import { createRequire } from 'node:module';

/**
 * The reference JSON-LD libraries (jsonld.js and rdf-canonize, Digital Bazaar) ship as
 * CommonJS without type declarations; this module loads them once and gives them the
 * narrow types skillpass uses.
 */
const require = createRequire(import.meta.url);

/** A JSON-LD remote document, as jsonld.js expects a document loader to return. */
export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
  /**
   * `'static'`: the document never changes, so jsonld.js may keep it resolved (and the contexts
   * it derives from it processed) in its process-wide cache, for every later operation.
   */
  tag?: 'static';
}

/** Options of jsonld.toRDF that skillpass passes. */
interface ToRdfOptions {
  documentLoader: (url: string) => Promise<RemoteDocument>;
  safe: boolean;
  base: null;
  rdfDirection: 'i18n-datatype';
  produceGeneralizedRdf: false;
}

/** An RDF dataset as produced by jsonld.toRDF (opaque here). */
type Dataset = unknown[];

interface JsonLd {
  toRDF(input: unknown, options: ToRdfOptions): Promise<Dataset>;
}

interface RdfCanonize {
  _canonizeSync(
    input: Dataset,
    options: { algorithm: 'RDFC-1.0'; format: 'application/n-quads'; maxWorkFactor: number },
  ): string;
}

let jsonldModule: JsonLd | undefined;
let rdfCanonizeModule: RdfCanonize | undefined;

/** jsonld.js, loaded on first use (it takes a noticeable part of a second to load). */
export function jsonld(): JsonLd {
  jsonldModule ??= require('jsonld') as JsonLd;
  return jsonldModule;
}

/** rdf-canonize (the RDFC-1.0 reference implementation), loaded on first use. */
export function rdfCanonize(): RdfCanonize {
  rdfCanonizeModule ??= require('rdf-canonize') as RdfCanonize;
  return rdfCanonizeModule;
}

/** Load a CommonJS module by name (context packages). */
export function requireModule(name: string): unknown {
  return require(name);
}
