/**
 * Who is calling and what they may touch, plus the refusals the HTTP layer turns into 401/403.
 * Messages are French (shown in the add-in) and never contain the token, its claims or the caller's ids.
 */

export const ROLES = ["Payroll.Admin", "Payroll.Operator"] as const;
export type Role = (typeof ROLES)[number];

/** Grant value meaning "every company" (a row with RowKey `*` in the grants table). */
export const ALL_COMPANIES = "*";

export interface Principal {
  /** Entra object id of the user (or of the calling app for app-only tokens). */
  oid: string;
  tid: string;
  name: string;
  roles: Role[];
  /** Company ids this principal may see; `["*"]` for all. Comes from the grants table, not from the token. */
  companies: string[];
}

export class AuthError extends Error {
  override readonly name = "AuthError";
  constructor(
    readonly status: 401 | 403 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** Body and headers for an @azure/functions HttpResponseInit. */
  toResponse(): { status: number; jsonBody: { error: { code: string; message: string } }; headers: Record<string, string> } {
    const headers: Record<string, string> = {};
    if (this.status === 401) {
      headers["WWW-Authenticate"] = this.code === "missing_token" ? 'Bearer realm="paie-monaco"' : 'Bearer realm="paie-monaco", error="invalid_token"';
    }
    return { status: this.status, jsonBody: { error: { code: this.code, message: this.message } }, headers };
  }
}

export function hasRole(principal: Principal, role: Role): boolean {
  // An admin can do what an operator does.
  return principal.roles.includes(role) || (role === "Payroll.Operator" && principal.roles.includes("Payroll.Admin"));
}

/** Passes when the principal holds at least one of `roles`. */
export function requireRole(principal: Principal, ...roles: Role[]): void {
  if (!roles.some((r) => hasRole(principal, r))) {
    throw new AuthError(403, "forbidden_role", `Accès refusé : cette action demande le rôle ${roles.join(" ou ")}.`);
  }
}

export function canSeeCompany(principal: Principal, companyId: string): boolean {
  return principal.companies.includes(ALL_COMPANIES) || principal.companies.includes(companyId);
}

/**
 * Passes when the principal has a grant on this company. Admin role alone is not enough: grants are the
 * single place that says who sees which client's payroll (least privilege).
 */
export function requireCompany(principal: Principal, companyId: string): void {
  if (!canSeeCompany(principal, companyId)) {
    throw new AuthError(403, "forbidden_company", "Accès refusé : vous n'avez pas de droit sur cette société.");
  }
}
