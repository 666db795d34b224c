import { receiveCredential } from '@skillpass/holder';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS } from '../../../test-support/fixtures.js';
import { createCredentialOffer, OFFER_FORMATS } from '../src/index.js';
import { makeWallet, startCentre } from './helpers.js';

describe('OpenID4VCI pre-authorized code flow into our wallet', () => {
  for (const format of OFFER_FORMATS) {
    it(`issues ${format} bound to the wallet's key and stores it`, async () => {
      const centre = await startCentre();
      const wallet = await makeWallet();
      const { offer, txCode } = createCredentialOffer({
        offers: centre.offers,
        publicUrl: centre.url,
        assessment: CNC_ASSESSMENTS[0]!,
        format,
        txCode: true,
      });
      expect(offer.startsWith('openid-credential-offer://?credential_offer_uri=')).toBe(true);
      const received = await receiveCredential(wallet, offer, {
        txCode: txCode!,
        allowHttpLocalhost: true,
      });
      expect(received.entry.format).toBe(format === 'jwt_vc_json' ? 'jwt-vc-1.1' : format);
      expect(wallet.list().map((e) => e.id)).toEqual([received.entry.id]);
      const [record] = await centre.issuer.listIssued();
      expect(record?.subject).toBe(wallet.did);
      expect(record?.id).toBe(received.entry.id);
    });
  }
});
