export type { CreatePassportOptions, PassportCredential } from './create-passport.js';
export { createPassport, formatOf } from './create-passport.js';
