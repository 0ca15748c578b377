/** GET /api/me: the caller as the server authenticated them (name, roles, companies granted), for the pane's views. */
import type { MeResponse } from "../../shared/api/me.ts";
import { json } from "../app/http.ts";
import type { Operation } from "./operation.ts";

export const getMe: Operation = async (_req, p) => {
  const me: MeResponse = { name: p.name, roles: [...p.roles], companies: [...p.companies] };
  return json(200, me, { "Cache-Control": "no-store" });
};
