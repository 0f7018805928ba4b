export { masterKeyEnvironment } from './config.ts';
export { decrypt, encrypt, newDataKey, SealBrokenError } from './envelope.ts';
export {
  developmentMasterKey,
  isDevelopmentMasterKey,
  type KeyRing,
  type KeyRingOptions,
  migratePersonalData,
  openKeyRing,
  parseMasterKey,
  personalDataSchema,
} from './key-ring.ts';
export { openPersonalData, sealPersonalData } from './personal-data.ts';
export { type CustomerKeys, erasedText, isSealed, openValue, sealValue } from './sealing.ts';
