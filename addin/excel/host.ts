/// <reference types="office-js" />
/** The one place that calls Excel.run and turns Office errors into French messages for the pane. */
import { computePayslip } from "../../shared/engine/compute.ts";
import { calculateWorkbook, type MonthContext, prepareWorkbook, selectCell, validateWorkbook } from "./operations.ts";

export function officeErrorMessage(error: unknown): string {
  const e = error as { code?: string; message?: string; debugInfo?: { errorLocation?: string } };
  const where = e.debugInfo?.errorLocation ? ` (${e.debugInfo.errorLocation})` : "";
  switch (e.code) {
    case "RequestPayloadSizeLimitExceeded":
    case "ResponsePayloadSizeLimitExceeded":
      return "Le classeur est trop volumineux pour un seul échange avec Excel. Réessayez ; si cela persiste, signalez-le.";
    case "ItemNotFound":
      return `Élément introuvable dans le classeur${where}.`;
    case "InvalidArgument":
      return `Opération refusée par Excel${where} : ${e.message ?? ""}`;
    default:
      return `Erreur Excel${e.code ? ` ${e.code}` : ""}${where} : ${e.message ?? String(error)}`;
  }
}

export const host = {
  prepare: (period: string) => Excel.run((c) => prepareWorkbook(c, period)),
  validate: (period: string, month: MonthContext = {}) => Excel.run((c) => validateWorkbook(c, period, month)),
  calculate: (period: string, month: MonthContext = {}) =>
    Excel.run((c) => calculateWorkbook(c, period, (input) => computePayslip(input, month.parameters), month)),
  select: (sheet: string, address: string) => Excel.run((c) => selectCell(c, sheet, address)),
};
export type Host = typeof host;
