/**
 * The organisms contributions are paid to, named once for every document: the statement prints these names and
 * codes, the journal's default accounts are labelled with them. Codes and names are Cegid's (statements.json:
 * « 002 FRANCE TRAVAIL », « 005 PREVOYANCE », « 101 CCSS »…), with the accents French typography wants;
 * AGIRC-ARRCO's code is not on the references (it ended in 2023), 004 is ours.
 */
import type { Fund } from "../schema/chart-of-accounts.ts";

export interface Organism {
  code: string;
  label: string;
}

export const ORGANISMS: Readonly<Record<Fund, Organism>> = {
  AC: { code: "002", label: "FRANCE TRAVAIL" },
  RC: { code: "004", label: "AGIRC-ARRCO" },
  PREVOYANCE: { code: "005", label: "PRÉVOYANCE" },
  CCSS: { code: "101", label: "CCSS" },
  CAR: { code: "103", label: "CAR" },
  CMRC: { code: "105", label: "CMRC" },
};

/**
 * The journal pools CAR, CCSS and CMRC in one social account (4311), as Cegid does; its label names the first two,
 * Cegid's wording (« Part salariale CAR/CCSS »), the CMRC being the CAR's complementary scheme.
 */
export const MONACO_FUNDS_LABEL = `${ORGANISMS.CAR.label}/${ORGANISMS.CCSS.label}`;
