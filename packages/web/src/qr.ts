import { SkillpassError } from '@skillpass/core';
import QRCode from 'qrcode';
import { escapeText, type SafeHtml, trustedHtml } from './html.js';

/** Longest text {@link qrSvg} encodes (characters); an offer or request link is far shorter. */
export const MAX_QR_TEXT = 2000;

/** Options of {@link qrSvg}. */
export interface QrSvgOptions {
  /** What a screen reader says for the image (in the page language). */
  label: string;
}

/**
 * A QR code of `text` as inline SVG, rendered on the server by the `qrcode` package (error
 * correction M, a quiet zone of 4 modules, black on white): `<svg role="img" aria-label="…"
 * class="qr">`. Only presentation attributes, no `style`, so it passes the page's CSP.
 *
 * @example
 * ```ts
 * const svg = await qrSvg(offer.url, { label: 'QR-code van het aanbod' });
 * html`<figure>${svg}<figcaption><a href="${safeHref(offer.url, ['openid-credential-offer:'])}">…</a></figcaption></figure>`;
 * ```
 * @throws SkillpassError ERR_INPUT_TOO_LARGE for a text over {@link MAX_QR_TEXT} characters.
 */
export async function qrSvg(text: string, options: QrSvgOptions): Promise<SafeHtml> {
  if (text.length > MAX_QR_TEXT) {
    throw new SkillpassError('ERR_INPUT_TOO_LARGE', `a QR code holds at most ${MAX_QR_TEXT} characters`);
  }
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  if (!svg.startsWith('<svg ')) throw new SkillpassError('ERR_UNSUPPORTED', 'the QR encoder gave no SVG');
  return trustedHtml(
    `<svg role="img" aria-label="${escapeText(options.label)}" class="qr" ${svg.slice('<svg '.length).trim()}`,
  );
}
