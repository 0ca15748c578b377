/** The company's master data as the API sends and receives it and as functions/storage stores it. */
import { type Static, Type } from "@sinclair/typebox";
import { CalendarDate, CompanyId, Email, EmployeeId, IsoDateTime } from "./fields.ts";

export const EmployeeRecord = Type.Object(
  {
    companyId: CompanyId(),
    employeeId: EmployeeId(),
    lastName: Type.String({ minLength: 1, maxLength: 200 }),
    firstName: Type.String({ maxLength: 200 }),
    email: Type.Optional(Email()),
    active: Type.Boolean(),
    hireDate: CalendarDate(),
    exitDate: Type.Optional(CalendarDate()),
    /** The employee's engine input and identity fields (job, CCSS number…), sealed where personal (functions/security). */
    data: Type.Record(Type.String(), Type.Unknown()),
    updatedAt: IsoDateTime(),
  },
  { additionalProperties: false },
);
export type EmployeeRecord = Static<typeof EmployeeRecord>;

/** One employee in PUT …/employees: the record without what the server sets. */
export const EmployeeBody = Type.Omit(EmployeeRecord, ["updatedAt", "companyId"]);
export type EmployeeBody = Static<typeof EmployeeBody>;
/** PUT /api/companies/{companyId}/employees: the whole list, replacing the stored one. */
export const EmployeesBody = Type.Array(EmployeeBody, { maxItems: 5000 });
export const EmployeesPutResponse = Type.Object({ employees: Type.Integer({ minimum: 0 }) });
/** GET /api/companies/{companyId}/employees. */
export const EmployeesResponse = Type.Object({ employees: Type.Array(EmployeeRecord) });
export type EmployeesResponse = Static<typeof EmployeesResponse>;
