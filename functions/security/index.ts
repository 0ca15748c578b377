/** Public surface of the security layer: data keys, field encryption, personal fields, rotation, the log sink. */
export {
  bindDataKeys,
  createDataKeyRing,
  DataKeyConfigError,
  type DataKeyRing,
  dataKeysOf,
  ephemeralDataKeys,
  KEY_ID_PATTERN,
  readDataKeys,
} from "./data-keys.ts";
export { decryptField, ENCRYPTED_PREFIX, EncryptedFieldError, encryptField, type FieldLocation, isEncrypted, keyIdOf } from "./field-crypto.ts";
export { contextLogHandler, createLogSink, type LogFields, type LogSink, type LogSinkOptions, redact, withSafeLogs } from "./log-sink.ts";
export { EMPLOYEES_TABLE, needsReencryption, openEmployeeData, PERSONAL_DATA_FIELDS, sealEmployeeData } from "./personal-data.ts";
export { type ReencryptReport, reencryptAll } from "./reencrypt.ts";
