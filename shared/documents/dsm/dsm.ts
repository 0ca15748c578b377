/**
 * DSM 2.0 XML (Déclaration des Salaires Mensuelle) for the Caisses Sociales de Monaco, following the
 * DOCTYPE, namespace and element structure of the CSM sample (reference/dsm/dsm-2.0-example.xml).
 * Our own XSD for it is dsm-2.0.xsd beside this file (the official one was not available).
 */

import { formatCentsXml, formatHundredthsXml } from "../../core/format.ts";
import { isPeriod } from "../../core/period.ts";
import type { DsmEvent, PayslipResult } from "../../core/result.ts";
import { type CompanyInfo, type EmployeeInfo, employeeIndex, requireEmployee } from "../types.ts";
import { escapeXml } from "../xml.ts";

export const DSM_NAMESPACE = "http://www.caisses-sociales.mc/DSM/2.0";
export const DSM_DOCTYPE = '<!DOCTYPE declaration PUBLIC "-//CSM//DSM 2.0//FR" "http://www.caisses-sociales.mc/DSM/2.0/dsm.dtd">';

export interface DsmOptions {
  company: CompanyInfo;
  period: string;
  results: readonly PayslipResult[];
  employees: readonly EmployeeInfo[];
}

export class DsmInputError extends Error {
  override name = "DsmInputError";
}

const ouiNon = (b: boolean) => (b ? "Oui" : "Non");

function el(indent: number, name: string, value: string): string {
  return `${"\t".repeat(indent)}<${name}>${escapeXml(value)}</${name}>`;
}

function eventXml(e: DsmEvent, employeeId: string): string[] {
  const i = 4;
  const need = (v: string | undefined, what: string): string => {
    if (!v) throw new DsmInputError(`DSM : ${what} manquante pour l'événement ${e.kind} du salarié ${employeeId}`);
    return v;
  };
  const open = `${"\t".repeat(i)}<${e.kind}>`;
  const close = `${"\t".repeat(i)}</${e.kind}>`;
  switch (e.kind) {
    case "congesPayes":
      return [
        open,
        ...(e.hours !== undefined ? [el(i + 1, "heures", formatHundredthsXml(e.hours))] : []),
        el(i + 1, "dateDebut", need(e.from, "date de début")),
        el(i + 1, "dateFin", need(e.to ?? e.from, "date de fin")),
        close,
      ];
    case "maladie":
    case "accidentTravail":
    case "congesSansSolde":
    case "maternite":
    case "preavis":
      return [open, el(i + 1, "dateDebut", need(e.from, "date de début")), ...(e.to ? [el(i + 1, "dateFin", e.to)] : []), close];
    case "entreeDuSalarie":
      return [open, el(i + 1, "dateDebut", need(e.from, "date d'entrée")), close];
    case "sortieDuSalarie":
      return [open, el(i + 1, "dateSortieAdministrative", need(e.from, "date de sortie")), ...(e.to ? [el(i + 1, "dateSortiePhysique", e.to)] : []), close];
    case "prime":
      if (e.amount === undefined) throw new DsmInputError(`DSM : montant manquant pour la prime du salarié ${employeeId}`);
      return [open, el(i + 1, "montant", formatCentsXml(e.amount)), close];
  }
}

/** The DSM file as a UTF-8 string (encode with TextEncoder for bytes). Throws DsmInputError on missing data. */
export function buildDsmXml(options: DsmOptions): string {
  if (!isPeriod(options.period)) throw new DsmInputError(`DSM : période invalide « ${options.period} »`);
  const people = employeeIndex(options.employees);
  const results = [...options.results].sort((a, b) => (a.employeeId < b.employeeId ? -1 : a.employeeId > b.employeeId ? 1 : 0));
  const totals = { ccss: 0, car: 0, cmrcTA: 0, cmrcTB: 0, ac: 0 };
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    DSM_DOCTYPE,
    `<declaration xmlns="${DSM_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${DSM_NAMESPACE} ${DSM_NAMESPACE}/dsm.xsd">`,
    el(1, "employeur", options.company.ccssEmployerNumber),
    el(1, "periode", options.period),
    "\t<effectif>",
  ];
  for (const r of results) {
    if (r.period !== options.period) throw new DsmInputError(`DSM : bulletin ${r.employeeId} de la période ${r.period}, déclaration de ${options.period}`);
    const e = requireEmployee(people, r.employeeId);
    if (!e.birthDate) throw new DsmInputError(`DSM : date de naissance manquante pour le salarié ${e.id} (obligatoire)`);
    const ac = e.affiliations?.ac ?? !r.director;
    const b = r.bases;
    totals.ccss += b.ccss;
    totals.car += b.car;
    totals.cmrcTA += b.cmrcTA;
    totals.cmrcTB += b.cmrcTB;
    if (ac) totals.ac += b.acTA + b.acTB;
    out.push(
      "\t\t<salarie>",
      ...(e.ccssNumber ? [el(3, "matricule", e.ccssNumber)] : []),
      el(3, "nom", e.lastName.toUpperCase()),
      el(3, "prenom", e.firstName.toUpperCase()),
      el(3, "dateNaissance", e.birthDate),
      el(3, "affiliationAC", ouiNon(ac)),
      el(3, "affiliationRC", ouiNon(e.affiliations?.rc ?? true)),
      el(3, "affiliationCAR", ouiNon(e.affiliations?.car ?? true)),
      el(3, "teletravail", ouiNon(e.teleworkCountry !== undefined)),
      ...(e.teleworkCountry !== undefined ? [el(3, "paysTeletravail", e.teleworkCountry)] : []),
      el(3, "administrateurSalarie", ouiNon(r.director)),
      "\t\t\t<remuneration>",
      el(4, "salaireBrut", formatCentsXml(b.monaco)),
      el(4, "heuresTotales", formatHundredthsXml(r.hoursPaid)),
      el(4, "baseCCSS", formatCentsXml(b.ccss)),
      el(4, "baseCAR", formatCentsXml(b.car)),
      el(4, "baseCMRCTA", formatCentsXml(b.cmrcTA)),
      el(4, "baseCMRCTB", formatCentsXml(b.cmrcTB)),
      "\t\t\t</remuneration>",
    );
    if (r.events.length > 0) {
      out.push("\t\t\t<evenements>");
      for (const ev of r.events) out.push(...eventXml(ev, r.employeeId));
      out.push("\t\t\t</evenements>");
    }
    out.push("\t\t</salarie>");
  }
  // The CSM asks for the unemployment total in whole euros (half-up).
  const acEuros = Math.floor((totals.ac + 50) / 100);
  out.push(
    "\t</effectif>",
    "\t<assiettes>",
    el(2, "CCSS", formatCentsXml(totals.ccss)),
    el(2, "CAR", formatCentsXml(totals.car)),
    el(2, "CMRCTA", formatCentsXml(totals.cmrcTA)),
    el(2, "CMRCTB", formatCentsXml(totals.cmrcTB)),
    el(2, "AssuranceChomage", String(acEuros)),
    "\t</assiettes>",
    "</declaration>",
  );
  return `${out.join("\n")}\n`;
}
