import { describe, expect, it } from 'vitest';
import { MAX_QR_TEXT, qrSvg } from '../src/index.js';

describe('qrSvg', () => {
  it('renders an SVG image with an escaped screen-reader label and no style attribute', async () => {
    const svg = (
      await qrSvg('openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fc.example%2Fo%2F1', {
        label: 'QR "aanbod" <1>',
      })
    ).value;
    expect(svg).toMatch(
      /^<svg role="img" aria-label="QR &quot;aanbod&quot; &lt;1&gt;" class="qr" xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"/,
    );
    expect(svg).toContain('<path');
    expect(svg).not.toMatch(/style=|<script/i);
  });

  it('encodes more modules for a longer text', async () => {
    const size = async (t: string) =>
      Number(/viewBox="0 0 (\d+)/.exec((await qrSvg(t, { label: 'x' })).value)?.[1]);
    expect(await size('x'.repeat(300))).toBeGreaterThan(await size('x'));
  });

  it('refuses a text too long for a QR code with ERR_INPUT_TOO_LARGE', async () => {
    await expect(qrSvg('x'.repeat(MAX_QR_TEXT + 1), { label: 'x' })).rejects.toMatchObject({
      code: 'ERR_INPUT_TOO_LARGE',
    });
  });
});
