/**
 * The CMS SignedData (RFC 5652) inside a PDF seal, in the CAdES form PAdES baseline B-B asks for (ETSI EN 319 142-1
 * §6.3, ETSI EN 319 122-1 §5.2): detached content (the PDF byte ranges), SHA-256, signed attributes
 * `content-type`, `message-digest` and `signing-certificate-v2` (RFC 5035) — no `signing-time` attribute, PAdES puts
 * the time in the signature dictionary's /M instead.
 *
 * Why these libraries: @peculiar/asn1-cms / asn1-x509 / asn1-schema (2.11.1, maintained by PeculiarVentures, the
 * authors of the Web Crypto polyfills; already in the tree through @peculiar/x509) give typed ASN.1 structures and a
 * DER serializer; the signature itself is node:crypto (RSA PKCS#1 v1.5 or ECDSA, SHA-256). @signpdf/signer-p12 is
 * not used: it is built on node-forge, needs a PKCS#12 file, signs with SHA-1-era defaults and writes no
 * signing-certificate-v2. RFC 5035's ESS structures are not in any @peculiar package, so the two small ones needed
 * are declared here with the same decorators (applied as functions: the project compiles without
 * experimentalDecorators).
 */
import { createHash, createPublicKey, sign as cryptoSign, type KeyObject } from "node:crypto";
import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  ContentInfo,
  DigestAlgorithmIdentifiers,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  id_data,
  id_signedData,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
} from "@peculiar/asn1-cms";
import {
  AsnArray,
  AsnConvert,
  AsnIntegerArrayBufferConverter,
  AsnObjectIdentifierConverter,
  AsnProp,
  AsnPropTypes,
  AsnType,
  AsnTypeTypes,
  OctetString,
} from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, Certificate, GeneralName, GeneralNames } from "@peculiar/asn1-x509";

const OID = {
  sha256: "2.16.840.1.101.3.4.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
} as const;

/** RFC 5035 IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber } */
class IssuerSerial {
  issuer = new GeneralNames();
  serialNumber = new ArrayBuffer(0);
}
AsnType({ type: AsnTypeTypes.Sequence })(IssuerSerial);
AsnProp({ type: GeneralNames })(IssuerSerial.prototype, "issuer");
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(IssuerSerial.prototype, "serialNumber");

/** RFC 5035 ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256 (omitted), certHash OCTET STRING, issuerSerial } */
class EssCertIdV2 {
  certHash = new OctetString();
  issuerSerial = new IssuerSerial();
}
AsnType({ type: AsnTypeTypes.Sequence })(EssCertIdV2);
AsnProp({ type: OctetString })(EssCertIdV2.prototype, "certHash");
AsnProp({ type: IssuerSerial })(EssCertIdV2.prototype, "issuerSerial");

class EssCertIdV2List extends AsnArray<EssCertIdV2> {}
AsnType({ type: AsnTypeTypes.Sequence, itemType: EssCertIdV2 })(EssCertIdV2List);

/** RFC 5035 SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies OPTIONAL (absent) } */
class SigningCertificateV2 {
  certs = new EssCertIdV2List();
}
AsnType({ type: AsnTypeTypes.Sequence })(SigningCertificateV2);
AsnProp({ type: EssCertIdV2List })(SigningCertificateV2.prototype, "certs");

/** SET OF Attribute, to obtain the DER that the signature covers (RFC 5652 §5.4: the SET tag, not [0]). */
class SignedAttributesSet extends AsnArray<Attribute> {}
AsnType({ type: AsnTypeTypes.Set, itemType: Attribute })(SignedAttributesSet);

export interface SigningKey {
  /** The signer's certificate first, then any intermediate certificates (DER). */
  certificates: Uint8Array[];
  privateKey: KeyObject;
}

const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;
const compareBytes = (a: Uint8Array, b: Uint8Array): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
};

function signatureAlgorithmOf(key: KeyObject): { oid: string; withNullParams: boolean; sign: (data: Uint8Array) => Buffer } {
  if (key.asymmetricKeyType === "rsa") {
    return { oid: OID.rsaEncryption, withNullParams: true, sign: (data) => cryptoSign("sha256", data, key) };
  }
  if (key.asymmetricKeyType === "ec") {
    return { oid: OID.ecdsaWithSha256, withNullParams: false, sign: (data) => cryptoSign("sha256", data, { key, dsaEncoding: "der" }) };
  }
  throw new Error(`Clé de scellement de type « ${key.asymmetricKeyType ?? "inconnu"} » non prise en charge (RSA ou ECDSA attendu).`);
}

/** Refuses a key that does not belong to the certificate: a seal naming the wrong signer would verify as invalid. */
export function assertKeyMatchesCertificate(key: SigningKey): Certificate {
  const leaf = key.certificates[0];
  if (!leaf) throw new Error("Certificat de scellement absent.");
  const cert = AsnConvert.parse(toArrayBuffer(leaf), Certificate);
  const spki = Buffer.from(AsnConvert.serialize(cert.tbsCertificate.subjectPublicKeyInfo));
  const fromKey = createPublicKey(key.privateKey).export({ type: "spki", format: "der" });
  if (!spki.equals(fromKey)) throw new Error("La clé privée de scellement ne correspond pas au certificat (PAIE_SEAL_KEY_PEM / PAIE_SEAL_CERT_PEM).");
  return cert;
}

interface PreparedSigner {
  cert: Certificate;
  chain: Certificate[];
  algorithm: ReturnType<typeof signatureAlgorithmOf>;
  /** The attributes that do not depend on the content (content-type, signing-certificate-v2). */
  fixedAttributes: Attribute[];
}

// Parsing the certificates and checking the key cost more than the signature itself: once per key.
const prepared = new WeakMap<SigningKey, PreparedSigner>();

function prepare(key: SigningKey): PreparedSigner {
  const cached = prepared.get(key);
  if (cached) return cached;
  const cert = assertKeyMatchesCertificate(key);
  const essCertId = new EssCertIdV2();
  essCertId.certHash = new OctetString(createHash("sha256").update(key.certificates[0]!).digest());
  essCertId.issuerSerial.issuer = new GeneralNames([new GeneralName({ directoryName: cert.tbsCertificate.issuer })]);
  essCertId.issuerSerial.serialNumber = cert.tbsCertificate.serialNumber;
  const signingCertificate = new SigningCertificateV2();
  signingCertificate.certs = new EssCertIdV2List([essCertId]);
  const out: PreparedSigner = {
    cert,
    chain: key.certificates.map((der) => AsnConvert.parse(toArrayBuffer(der), Certificate)),
    algorithm: signatureAlgorithmOf(key.privateKey),
    fixedAttributes: [
      new Attribute({ attrType: OID.contentType, attrValues: [AsnObjectIdentifierConverter.toASN(id_data).toBER(false)] }),
      new Attribute({ attrType: OID.signingCertificateV2, attrValues: [AsnConvert.serialize(signingCertificate)] }),
    ],
  };
  prepared.set(key, out);
  return out;
}

/** DER ContentInfo(SignedData) over `content`, detached (the content itself is not embedded). */
export function signDetached(content: Uint8Array, key: SigningKey): Uint8Array {
  const { cert, chain, algorithm, fixedAttributes } = prepare(key);
  const sha256 = () => new AlgorithmIdentifier({ algorithm: OID.sha256 });
  const attributes = [
    ...fixedAttributes,
    new Attribute({ attrType: OID.messageDigest, attrValues: [AsnConvert.serialize(new OctetString(createHash("sha256").update(content).digest()))] }),
  ]
    // DER: the elements of a SET OF in ascending order of their encodings (X.690 §11.6).
    .map((a) => ({ a, der: new Uint8Array(AsnConvert.serialize(a)) }))
    .sort((x, y) => compareBytes(x.der, y.der))
    .map((x) => x.a);
  const signedAttributesDer = new Uint8Array(AsnConvert.serialize(new SignedAttributesSet(attributes)));

  const signerInfo = new SignerInfo({
    version: 1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({ issuer: cert.tbsCertificate.issuer, serialNumber: cert.tbsCertificate.serialNumber }),
    }),
    digestAlgorithm: sha256(),
    signedAttrs: attributes,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: algorithm.oid, ...(algorithm.withNullParams ? { parameters: null } : {}) }),
    signature: new OctetString(algorithm.sign(signedAttributesDer)),
  });
  const signedData = new SignedData({
    version: 1,
    digestAlgorithms: new DigestAlgorithmIdentifiers([sha256()]),
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: id_data }),
    certificates: new CertificateSet(chain.map((certificate) => new CertificateChoices({ certificate }))),
    signerInfos: new SignerInfos([signerInfo]),
  });
  return new Uint8Array(AsnConvert.serialize(new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) })));
}
