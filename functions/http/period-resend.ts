/** POST /api/companies/{companyId}/periods/{period}/resend: requeue the period's failed mails (admin). */
import type { Static } from "@sinclair/typebox";
import type { ResendResponse } from "../../shared/api/periods.ts";
import { json } from "../app/http.ts";
import { resendFailed } from "../payroll/mails.ts";
import type { Operation } from "./operation.ts";

export const resendPeriod: Operation = async (_req, p, s, { companyId: id, period }) => {
  const requeued = await resendFailed(s, id, period, p.oid);
  return json(200, { requeued } satisfies Static<typeof ResendResponse>);
};
