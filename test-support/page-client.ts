/**
 * A small browser stand-in for page tests over HTTP: keeps cookies, sends `Origin` like a
 * browser does on a form post, and fills the CSRF field from the last page it read.
 */
export class PageClient {
  readonly base: string;
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last page read (the hidden `_csrf` field). */
  csrf: string | undefined;

  constructor(base: string) {
    this.base = base;
  }

  async #send(path: string, init: RequestInit): Promise<{ status: number; text: string; headers: Headers }> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const res = await fetch(new URL(path, this.base), { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token !== undefined) this.csrf = token;
    return { status: res.status, text, headers: res.headers };
  }

  /** GET a page (following one redirect is up to the caller). */
  get(path: string, headers: Record<string, string> = {}) {
    return this.#send(path, { method: 'GET', headers: { accept: 'text/html', ...headers } });
  }

  /** POST a form (urlencoded), with this client's CSRF token unless `_csrf` is given. */
  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams({ ...(this.csrf !== undefined ? { _csrf: this.csrf } : {}), ...fields });
    return this.#send(path, {
      method: 'POST',
      body,
      headers: { origin: new URL(this.base).origin, accept: 'text/html', ...headers },
    });
  }

  /** POST a multipart form (files as `File`s), with this client's CSRF token. */
  postMultipart(path: string, form: FormData) {
    if (this.csrf !== undefined && !form.has('_csrf')) form.set('_csrf', this.csrf);
    return this.#send(path, {
      method: 'POST',
      body: form,
      headers: { origin: new URL(this.base).origin, accept: 'text/html' },
    });
  }
}

/** The text of the element with `id` in `page` (a plain regex read, for tests). */
export function textOfId(page: string, id: string): string | undefined {
  const m = new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(page);
  return m?.[1];
}
