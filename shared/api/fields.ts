/**
 * The few field formats the API and the stored records share (identifiers, e-mail addresses, timestamps): one
 * definition, which functions/storage uses for its keys and the add-in for its requests.
 */
import { Type } from "@sinclair/typebox";

/** Company ids and matricules become Table Storage keys: letters, digits and a few separators, no `/`, `#` or `|`. */
export const COMPANY_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$";
export const EMPLOYEE_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

export const CompanyId = () => Type.String({ pattern: COMPANY_ID_PATTERN });
export const EmployeeId = () => Type.String({ pattern: EMPLOYEE_ID_PATTERN });
export const IsoDateTime = (options: { description?: string } = {}) =>
  Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$", ...options });
/** A calendar day, YYYY-MM-DD (the stored master data's form; the engine checks the day exists). */
export const CalendarDate = () => Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" });
export const Email = () => Type.String({ pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", maxLength: 254 });
