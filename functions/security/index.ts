/** Public surface of the security layer: data keys, field encryption, personal fields, rotation, the log sink. */
export { bindDataKeys, createDataKeyRing, dataKeysOf, DataKeyConfigError, ephemeralDataKeys, KEY_ID_PATTERN, readDataKeys, type DataKeyRing } from "./data-keys.ts";
export { decryptField, encryptField, EncryptedFieldError, ENCRYPTED_PREFIX, isEncrypted, keyIdOf, type FieldLocation } from "./field-crypto.ts";
export { EMPLOYEES_TABLE, needsReencryption, openEmployeeData, PERSONAL_DATA_FIELDS, sealEmployeeData } from "./personal-data.ts";
export { reencryptAll, type ReencryptReport } from "./reencrypt.ts";
export { contextLogHandler, createLogSink, redact, withSafeLogs, type LogFields, type LogSink, type LogSinkOptions } from "./log-sink.ts";
