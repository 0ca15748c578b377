/**
 * The selected employee's payslip as the server will print it (shared renderPayslipPdf), generated in the pane.
 * Loaded with import() from the pane so pdf-lib, fontkit and the fonts stay out of the first load; the DejaVu TTFs
 * are webpack assets fetched as bytes on first use (pdf-lib's standard fonts cannot encode every French character).
 */

import type { PayslipResult } from "../../shared/core/result.ts";
import { renderPayslipPdf } from "../../shared/documents/payslip.ts";
import type { CompanyInfo, EmployeeInfo, Fonts } from "../../shared/documents/types.ts";
import type { EmployeeInput } from "../../shared/schema/payslip-input.ts";

const REGULAR = new URL("../../node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf", import.meta.url);
const BOLD = new URL("../../node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf", import.meta.url);

let fonts: Promise<Fonts> | undefined;

async function bytes(url: URL): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`Police introuvable (${res.status}) : ${url.pathname}`);
  return new Uint8Array(await res.arrayBuffer());
}

function loadFonts(): Promise<Fonts> {
  fonts ??= Promise.all([bytes(REGULAR), bytes(BOLD)]).then(([regular, bold]) => ({ regular, bold }));
  // A failed download must not stick: the next preview tries again.
  fonts.catch(() => {
    fonts = undefined;
  });
  return fonts;
}

export function employeeInfo(e: EmployeeInput): EmployeeInfo {
  const info: EmployeeInfo = { id: e.id, lastName: e.lastName ?? "", firstName: e.firstName ?? "", hireDate: e.hireDate };
  if (e.exitDate) info.exitDate = e.exitDate;
  if (e.sex) info.sex = e.sex;
  return info;
}

export async function payslipPdf(result: PayslipResult, employee: EmployeeInput, company: CompanyInfo): Promise<Uint8Array> {
  return renderPayslipPdf({ result, employee: employeeInfo(employee), company }, await loadFonts());
}
