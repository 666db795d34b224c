const DATA_INTEGRITY_V2 = 'https://w3id.org/security/data-integrity/v2';
const VC_V2 = 'https://www.w3.org/ns/credentials/v2';

/**
 * The `@context` of a `DataIntegrityProof` configuration: the document's, plus the Data
 * Integrity v2 context when neither it nor the VC 2.0 context (which defines the proof terms)
 * is there — what Digital Bazaar's data-integrity library does when it signs and verifies.
 */
export function proofContext(documentContext: unknown): unknown {
  if (includesContext(documentContext, VC_V2) || includesContext(documentContext, DATA_INTEGRITY_V2)) {
    return documentContext;
  }
  return Array.isArray(documentContext)
    ? [...documentContext, DATA_INTEGRITY_V2]
    : [documentContext, DATA_INTEGRITY_V2];
}

function includesContext(context: unknown, url: string): boolean {
  return context === url || (Array.isArray(context) && context.includes(url));
}
