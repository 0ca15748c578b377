/** POST /api/companies/{companyId}/periods/{period}/close: close a mailed period, no resubmission after (admin). */
import type { CloseResponse } from "../../shared/api/periods.ts";
import { json } from "../app/http.ts";
import { closePeriod as close } from "../payroll/close-period.ts";
import type { Operation } from "./operation.ts";

export const closePeriod: Operation = async (_req, p, s, { companyId: id, period }) => json(200, (await close(s, p, id, period)) satisfies CloseResponse);
