/** GET /api/companies/{companyId}/periods/{period}/carry: the carried state per employee, to prepare next month. */
import type { CarryResponse } from "../../shared/api/periods.ts";
import { json } from "../app/http.ts";
import { readCurrentPayslips } from "../storage/index.ts";
import type { Operation } from "./operation.ts";

export const getCarry: Operation = async (_req, _p, s, { companyId: id, period }) => {
  const { payslips } = await readCurrentPayslips(s.storage, id, period);
  // The carry is stored as the engine returned it (shared/core/carry.ts); tests/functions/api-contract.test.ts checks it.
  const carries = Object.fromEntries(payslips.map((ps) => [ps.employeeId, ps.carry as CarryResponse["carries"][string]]));
  return json(200, { period, carries } satisfies CarryResponse);
};
