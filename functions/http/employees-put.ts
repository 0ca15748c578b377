/** PUT /api/companies/{companyId}/employees: replace the company's master data (admin). */
import { type EmployeeBody, EmployeesBody } from "../../shared/api/employees.ts";
import { json, readJson } from "../app/http.ts";
import { replaceEmployees } from "../payroll/replace-employees.ts";
import { type Operation, validate } from "./operation.ts";

export const putEmployees: Operation = async (req, p, s, { companyId: id }) => {
  const body = validate<EmployeeBody[]>(EmployeesBody, await readJson(req, s.config.maxBodyBytes, "salariés"), "Liste des salariés");
  return json(200, { employees: await replaceEmployees(s, p, id, body) });
};
