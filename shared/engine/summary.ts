/**
 * The figures the task pane sends with a submission and the server compares with its own computation:
 * if the two runs of the same engine disagree on any of them, the submission is refused and the difference named.
 */
import type { PayslipResult } from "../core/result.ts";

export interface ResultSummary {
  employeeId: string;
  gross: number;
  employeeTotal: number;
  employerTotal: number;
  net: number;
  netPaid: number;
  employerCost: number;
  /** "1901" or "1901R" (regularisation) → [employee amount, employer amount] */
  contributions: Record<string, [number, number]>;
}

export function summarise(r: PayslipResult): ResultSummary {
  const contributions: Record<string, [number, number]> = {};
  for (const c of r.contributions) {
    const key = c.regularisation ? `${c.code}R` : c.code;
    const prev = contributions[key] ?? [0, 0];
    contributions[key] = [prev[0] + (c.employeeAmount ?? 0), prev[1] + (c.employerAmount ?? 0)];
  }
  return {
    employeeId: r.employeeId,
    gross: r.gross,
    employeeTotal: r.employeeTotal,
    employerTotal: r.employerTotal,
    net: r.net,
    netPaid: r.netPaid,
    employerCost: r.employerCost,
    contributions,
  };
}

export interface SummaryDifference {
  employeeId: string;
  field: string;
  client: number | undefined;
  server: number | undefined;
}

export function compareSummaries(client: ResultSummary, server: ResultSummary): SummaryDifference[] {
  const out: SummaryDifference[] = [];
  const id = server.employeeId;
  for (const field of ["gross", "employeeTotal", "employerTotal", "net", "netPaid", "employerCost"] as const) {
    if (client[field] !== server[field]) out.push({ employeeId: id, field, client: client[field], server: server[field] });
  }
  const codes = new Set([...Object.keys(client.contributions), ...Object.keys(server.contributions)]);
  for (const code of [...codes].sort()) {
    const a = client.contributions[code];
    const b = server.contributions[code];
    if (a?.[0] !== b?.[0]) out.push({ employeeId: id, field: `cotisation ${code} (part salariale)`, client: a?.[0], server: b?.[0] });
    if (a?.[1] !== b?.[1]) out.push({ employeeId: id, field: `cotisation ${code} (part patronale)`, client: a?.[1], server: b?.[1] });
  }
  return out;
}
