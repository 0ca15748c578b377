import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { validateXML } from "xmllint-wasm";
import type { PayslipResult } from "../../shared/core/result.ts";
import { buildDsmXml, DsmInputError } from "../../shared/documents/dsm/dsm.ts";
import { company, employees } from "./fixtures/identities.ts";
import { bs202105a, bs202508a, bs202508c } from "./fixtures/payslips.ts";

const XSD = readFileSync(new URL("../../shared/documents/dsm/dsm-2.0.xsd", import.meta.url), "utf8");
const EXAMPLE = readFileSync(new URL("./fixtures/dsm-2.0-example.xml", import.meta.url), "utf8");

async function validate(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const r = await validateXML({ xml: [{ fileName: "dsm.xml", contents: xml }], schema: [{ fileName: "dsm-2.0.xsd", contents: XSD }] });
  return { valid: r.valid, errors: r.errors.map((e) => e.rawMessage) };
}

const august = () => buildDsmXml({ company, period: "2025-08", results: [bs202508c, bs202508a], employees });

test("the CSM reference example is valid against our XSD", async () => {
  const r = await validate(EXAMPLE);
  assert.deepEqual(r.errors, []);
  assert.equal(r.valid, true);
});

test("the XSD rejects what the structure forbids", async () => {
  const bad = [
    EXAMPLE.replace("<affiliationAC>Oui</affiliationAC>", "<affiliationAC>Yes</affiliationAC>"),
    EXAMPLE.replace("<periode>2024-02</periode>", "<periode>2024-13</periode>"),
    EXAMPLE.replace("<nom>DURAND</nom>", ""),
    EXAMPLE.replace("<montant>512.89</montant>", "<montant>512.891</montant>"),
    EXAMPLE.replace("<CCSS>13000</CCSS>", "<CCSS>13000</CCSS><CCSS>1</CCSS>"),
  ];
  for (const xml of bad) assert.equal((await validate(xml)).valid, false);
});

test("the August 2025 DSM has the sample's structure, the engine's bases and valid XML", async () => {
  const xml = august();
  const r = await validate(xml);
  assert.deepEqual(r.errors, []);
  assert.ok(
    xml.startsWith(
      '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE declaration PUBLIC "-//CSM//DSM 2.0//FR" "http://www.caisses-sociales.mc/DSM/2.0/dsm.dtd">\n',
    ),
  );
  assert.match(
    xml,
    /<declaration xmlns="http:\/\/www.caisses-sociales.mc\/DSM\/2.0" xmlns:xsi="http:\/\/www.w3.org\/2001\/XMLSchema-instance" xsi:schemaLocation="http:\/\/www.caisses-sociales.mc\/DSM\/2.0 http:\/\/www.caisses-sociales.mc\/DSM\/2.0\/dsm.xsd">/,
  );
  assert.match(xml, /<employeur>99999<\/employeur>\n\t<periode>2025-08<\/periode>/);
  // Employees sorted by matricule; the non-cadre first.
  const a = xml.indexOf("<nom>MUÑOZ</nom>");
  const c = xml.indexOf("<nom>ØRSTED</nom>");
  assert.ok(a > 0 && c > a);
  assert.match(
    xml,
    /<matricule>234567<\/matricule>\n\t\t\t<nom>MUÑOZ<\/nom>\n\t\t\t<prenom>BÉATRICE<\/prenom>\n\t\t\t<dateNaissance>1979-11-03<\/dateNaissance>\n\t\t\t<affiliationAC>Oui<\/affiliationAC>\n\t\t\t<affiliationRC>Oui<\/affiliationRC>\n\t\t\t<affiliationCAR>Oui<\/affiliationCAR>\n\t\t\t<teletravail>Oui<\/teletravail>\n\t\t\t<paysTeletravail>France<\/paysTeletravail>\n\t\t\t<administrateurSalarie>Non<\/administrateurSalarie>/,
  );
  assert.match(
    xml,
    /<salaireBrut>3966.57<\/salaireBrut>\n\t\t\t\t<heuresTotales>169<\/heuresTotales>\n\t\t\t\t<baseCCSS>3966.57<\/baseCCSS>\n\t\t\t\t<baseCAR>3966.57<\/baseCAR>\n\t\t\t\t<baseCMRCTA>3947<\/baseCMRCTA>\n\t\t\t\t<baseCMRCTB>19.57<\/baseCMRCTB>/,
  );
  // The director: no unemployment affiliation, flat CCSS base, capped CAR.
  assert.match(
    xml,
    /<affiliationAC>Non<\/affiliationAC>[\s\S]*<administrateurSalarie>Oui<\/administrateurSalarie>[\s\S]*<baseCCSS>9600<\/baseCCSS>\n\t\t\t\t<baseCAR>6028<\/baseCAR>\n\t\t\t\t<baseCMRCTA>3947<\/baseCMRCTA>\n\t\t\t\t<baseCMRCTB>4587.25<\/baseCMRCTB>/,
  );
  // Totals: Σ of the employees' bases; unemployment only for the affiliated one, rounded to the euro (3 966,57 → 3 967).
  assert.match(
    xml,
    /<assiettes>\n\t\t<CCSS>13566.57<\/CCSS>\n\t\t<CAR>9994.57<\/CAR>\n\t\t<CMRCTA>7894<\/CMRCTA>\n\t\t<CMRCTB>4606.82<\/CMRCTB>\n\t\t<AssuranceChomage>3967<\/AssuranceChomage>\n\t<\/assiettes>/,
  );
  assert.doesNotMatch(xml, /<evenements>/);
});

test("events: paid leave with hours and dates, sickness, bonus amounts", async () => {
  const xml = buildDsmXml({ company, period: "2021-05", results: [bs202105a], employees });
  assert.deepEqual((await validate(xml)).errors, []);
  assert.match(xml, /<maladie>\n\t\t\t\t\t<dateDebut>2021-04-06<\/dateDebut>\n\t\t\t\t\t<dateFin>2021-04-16<\/dateFin>\n\t\t\t\t<\/maladie>/);
  assert.match(xml, /<congesPayes>\n\t\t\t\t\t<heures>54.6<\/heures>\n\t\t\t\t\t<dateDebut>2021-04-22<\/dateDebut>\n\t\t\t\t\t<dateFin>2021-04-30<\/dateFin>/);
  assert.match(xml, /<prime>\n\t\t\t\t\t<montant>2243.84<\/montant>/);
  assert.match(xml, /<prime>\n\t\t\t\t\t<montant>650<\/montant>/);
  assert.match(xml, /<AssuranceChomage>5312<\/AssuranceChomage>/);
  const all: PayslipResult = {
    ...bs202508a,
    events: [
      { kind: "entreeDuSalarie", from: "2025-08-04" },
      { kind: "accidentTravail", from: "2025-08-10", to: "2025-08-12" },
      { kind: "congesSansSolde", from: "2025-08-13", to: "2025-08-14" },
      { kind: "maternite", from: "2025-08-15" },
      { kind: "preavis", from: "2025-08-16", to: "2025-08-31" },
      { kind: "sortieDuSalarie", from: "2025-08-31", to: "2025-08-29" },
    ],
  };
  const xml2 = buildDsmXml({ company, period: "2025-08", results: [all], employees });
  assert.deepEqual((await validate(xml2)).errors, []);
  assert.match(
    xml2,
    /<sortieDuSalarie>\n\t\t\t\t\t<dateSortieAdministrative>2025-08-31<\/dateSortieAdministrative>\n\t\t\t\t\t<dateSortiePhysique>2025-08-29<\/dateSortiePhysique>/,
  );
});

test("hostile strings are escaped and the file stays valid", async () => {
  const hostile = employees.map((e) =>
    e.id === "BS-2025-08-A" ? { ...e, lastName: `O'Brien <script>&amp;"\u0001`, firstName: "]]><x/>", teleworkCountry: "Italie & <Saint-Marin>" } : e,
  );
  const xml = buildDsmXml({ company: { ...company, ccssEmployerNumber: "99999" }, period: "2025-08", results: [bs202508a], employees: hostile });
  assert.deepEqual((await validate(xml)).errors, []);
  assert.match(xml, /<nom>O&apos;BRIEN &lt;SCRIPT&gt;&amp;AMP;&quot;<\/nom>/);
  assert.match(xml, /<prenom>\]\]&gt;&lt;X\/&gt;<\/prenom>/);
  assert.match(xml, /<paysTeletravail>Italie &amp; &lt;Saint-Marin&gt;<\/paysTeletravail>/);
  assert.doesNotMatch(xml, /\u0001/);
  // An injected employer number does not pass the XSD either.
  const injected = buildDsmXml({ company: { ...company, ccssEmployerNumber: "1</employeur><x>" }, period: "2025-08", results: [bs202508a], employees });
  assert.equal((await validate(injected)).valid, false);
  assert.match(injected, /<employeur>1&lt;\/employeur&gt;&lt;x&gt;<\/employeur>/);
});

test("missing data is refused with a French message; output is deterministic", () => {
  const noBirth = employees.map((e) => (e.id === "BS-2025-08-A" ? { ...e, birthDate: undefined } : e));
  assert.throws(
    () => buildDsmXml({ company, period: "2025-08", results: [bs202508a], employees: noBirth }),
    (e: unknown) => e instanceof DsmInputError && /date de naissance manquante/.test(e.message),
  );
  assert.throws(() => buildDsmXml({ company, period: "2025-07", results: [bs202508a], employees }), /période 2025-08/);
  assert.throws(() => buildDsmXml({ company, period: "2025-08", results: [bs202508a], employees: [] }), /introuvable/);
  assert.equal(august(), august());
});
