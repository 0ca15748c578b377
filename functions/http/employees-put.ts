/** PUT /api/companies/{companyId}/employees: replace the company's master data (admin). */
import { Type } from "@sinclair/typebox";
import { json, readJson } from "../app/http.ts";
import { replaceEmployees, type StaffRow } from "../payroll/replace-employees.ts";
import { EmployeeSchema } from "../storage/index.ts";
import { type Operation, validate } from "./operation.ts";

const EmployeesBody = Type.Array(Type.Omit(EmployeeSchema, ["updatedAt", "companyId"]), { maxItems: 5000 });

export const putEmployees: Operation = async (req, p, s, { companyId: id }) => {
  const body = validate<StaffRow[]>(EmployeesBody, await readJson(req, s.config.maxBodyBytes, "salariés"), "Liste des salariés");
  return json(200, { employees: await replaceEmployees(s, p, id, body) });
};
