/** Public surface of API authentication; see authenticate.ts for configuration. */
export { type Authenticator, createAuthenticator, createTokenValidator, developmentPrincipal, type RequestLike } from "./authenticate.ts";
export { type GrantsSource, TableGrantsSource } from "./grants.ts";
export { ALL_COMPANIES, AuthError, canSeeCompany, hasRole, type Principal, ROLES, type Role, requireCompany, requireRole } from "./principal.ts";
