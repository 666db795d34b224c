// Digital Bazaar's libraries ship without type declarations; the tests use them untyped.
declare module '@digitalbazaar/vc';
declare module '@digitalbazaar/data-integrity';
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
declare module '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
declare module '@digitalbazaar/ed25519-signature-2020';
declare module '@digitalbazaar/ed25519-multikey';
declare module '@digitalbazaar/ecdsa-multikey';
declare module '@digitalbazaar/ed25519-verification-key-2020';
