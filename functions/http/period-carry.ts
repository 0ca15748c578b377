/** GET /api/companies/{companyId}/periods/{period}/carry: the carried state per employee, to prepare next month. */
import { json } from "../app/http.ts";
import { readCurrentPayslips } from "../storage/index.ts";
import type { Operation } from "./operation.ts";

export const getCarry: Operation = async (_req, _p, s, { companyId: id, period }) => {
  const { payslips } = await readCurrentPayslips(s.storage, id, period);
  return json(200, { period, carries: Object.fromEntries(payslips.map((ps) => [ps.employeeId, ps.ytd])) });
};
