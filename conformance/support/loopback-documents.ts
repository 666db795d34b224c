import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchLike } from '@skillpass/core';

/**
 * The documents 1EdTech's fixtures point at (https issuer profiles, did:web documents, status
 * lists), served by a real server on 127.0.0.1 port 0. The verifier is given {@link fetch}: an
 * https URL it asks for goes to the loopback server as a query parameter, and every URL asked for
 * is recorded in {@link calls}. Nothing leaves the machine.
 */
export interface LoopbackDocuments {
  /** Serve `body` (JSON text) at `url`. */
  set(url: string, body: string): void;
  /**
   * Serve an issuer document for a verification method whose fragment is a key's multibase
   * (`…#z6Mk…`): the document at the method's controller URL (or did:web's did.json) lists the
   * method as a `Multikey` under `assertionMethod`. A method without such a fragment gets nothing.
   */
  serveMethod(methodId: string): void;
  /** The fetch the verifier is given. */
  fetch: FetchLike;
  /** Every URL fetched, in order. */
  calls: string[];
  close(): Promise<void>;
}

/** Start the loopback server of {@link LoopbackDocuments}. */
export async function startLoopbackDocuments(): Promise<LoopbackDocuments> {
  const documents = new Map<string, string>();
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x').searchParams.get('url') ?? '';
    const body = documents.get(url);
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fetchFn: FetchLike = async (url, init) => {
    calls.push(url);
    const res = await fetch(
      `${base}/?url=${encodeURIComponent(url)}`,
      init?.signal ? { signal: init.signal } : {},
    );
    const text = await res.text();
    return { ok: res.ok, status: res.status, url, text: async () => text, headers: res.headers };
  };
  return {
    set: (url, body) => {
      documents.set(url, body);
    },
    serveMethod(methodId) {
      const [controller, fragment] = methodId.split('#') as [string, string | undefined];
      if (fragment === undefined || !fragment.startsWith('z')) return;
      const url = controller.startsWith('did:web:')
        ? `https://${controller.slice('did:web:'.length).split(':').map(decodeURIComponent).join('/')}/did.json`
        : controller;
      const stored = documents.get(url);
      const doc = (
        stored === undefined
          ? { id: controller, verificationMethod: [], assertionMethod: [] }
          : JSON.parse(stored)
      ) as { verificationMethod: unknown[]; assertionMethod: string[] };
      if (!doc.assertionMethod.includes(methodId)) {
        doc.verificationMethod.push({
          id: methodId,
          type: 'Multikey',
          controller,
          publicKeyMultibase: fragment,
        });
        doc.assertionMethod.push(methodId);
      }
      documents.set(url, JSON.stringify(doc));
    },
    fetch: fetchFn,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
