import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

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

/** The part of jsonld.js skillpass uses. */
export interface JsonLd {
  toRDF(input: unknown, options: ToRdfOptions): Promise<Dataset>;
}

interface RdfCanonize {
  _canonizeSync(
    input: Dataset,
    options: { algorithm: 'RDFC-1.0'; format: 'application/n-quads'; maxWorkFactor: number },
  ): string;
}

let jsonldModule: JsonLd | undefined;
let sharesDefinitions = false;
let rdfCanonizeModule: RdfCanonize | undefined;

/**
 * jsonld.js, loaded on first use (it takes a noticeable part of a second to load): a private
 * instance whose active contexts share their term definitions when copied (see
 * {@link loadJsonld}).
 */
export function jsonld(): JsonLd {
  jsonldModule ??= loadJsonld();
  return jsonldModule;
}

/** The active context of jsonld.js 9 (lib/context.js), as far as its copy touches it. */
interface ActiveContext {
  mappings: Map<string, unknown>;
  protected: Record<string, unknown>;
  inverse: unknown;
  previousContext?: ActiveContext;
  clone(this: ActiveContext): ActiveContext;
  getInverse: unknown;
  revertToPreviousContext: unknown;
  '@base'?: unknown;
  '@language'?: unknown;
  '@vocab'?: unknown;
}

/**
 * A copy of an active context that shares its term definitions. jsonld.js deep-copies every
 * definition (with the scoped contexts inside it) whenever it enters a node with a type-scoped
 * context, which for an Open Badges credential is most of the time spent canonicalising it, and
 * most of the garbage. A definition is never changed once made: jsonld.js builds a new object
 * for every term it (re)defines and only ever `set`s or `delete`s whole entries of `mappings`,
 * and `protected` is copied. So sharing the definitions gives the same contexts, and the
 * canonical N-Quads are those of the library as published: the tests compare both on every
 * vector and on fuzzed documents (test/canonicalize-equal.test.ts).
 */
function cloneSharingDefinitions(this: ActiveContext): ActiveContext {
  const child: ActiveContext = {
    mappings: new Map(this.mappings),
    clone: this.clone,
    inverse: null,
    getInverse: this.getInverse,
    protected: { ...this.protected },
    revertToPreviousContext: this.revertToPreviousContext,
  };
  if (this.previousContext) child.previousContext = this.previousContext.clone();
  if ('@base' in this) child['@base'] = this['@base'];
  if ('@language' in this) child['@language'] = this['@language'];
  if ('@vocab' in this) child['@vocab'] = this['@vocab'];
  return child;
}

/**
 * Load jsonld.js as an instance of our own (its module files are taken out of the require cache
 * for the load and put back after it), and give its initial contexts, from which every active
 * context is copied, {@link cloneSharingDefinitions}. Other users of jsonld.js in the process
 * (a Digital Bazaar verifier) keep the library as published. If the library is not shaped as
 * expected, the instance is used unchanged: slower, never different.
 */
function loadJsonld(): JsonLd {
  const lib = dirname(require.resolve('jsonld'));
  const ours = (key: string) => key.startsWith(lib + sep);
  const saved = Object.entries(require.cache).filter(([key]) => ours(key));
  for (const [key] of saved) delete require.cache[key];
  try {
    const instance = require('jsonld') as JsonLd;
    const context = require(join(lib, 'context.js')) as {
      getInitialContext?: (options: { processingMode?: string }) => Partial<ActiveContext>;
    };
    for (const processingMode of [undefined, 'json-ld-1.0', 'json-ld-1.1']) {
      const initial = context.getInitialContext?.(processingMode === undefined ? {} : { processingMode });
      if (typeof initial?.clone === 'function' && initial.mappings instanceof Map) {
        initial.clone = cloneSharingDefinitions;
        sharesDefinitions = true;
      }
    }
    return instance;
  } finally {
    for (const key of Object.keys(require.cache)) if (ours(key)) delete require.cache[key];
    for (const [key, module] of saved) require.cache[key] = module;
  }
}

/** True when our jsonld.js instance copies active contexts with {@link cloneSharingDefinitions}. */
export function jsonldSharesDefinitions(): boolean {
  jsonld();
  return sharesDefinitions;
}

/** jsonld.js as published, shared with the rest of the process (tests compare against it). */
export function publishedJsonld(): JsonLd {
  return require('jsonld') as JsonLd;
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
