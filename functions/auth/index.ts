/** Public surface of API authentication; see authenticate.ts for configuration. */
export { createAuthenticator, createTokenValidator, developmentPrincipal, type Authenticator, type RequestLike } from "./authenticate.ts";
export { TableGrantsSource, type GrantsSource } from "./grants.ts";
export { ALL_COMPANIES, AuthError, ROLES, canSeeCompany, hasRole, requireCompany, requireRole, type Principal, type Role } from "./principal.ts";
