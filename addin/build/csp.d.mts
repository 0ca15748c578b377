/** The task pane's Content-Security-Policy for an API origin (see csp.mjs). */
export function contentSecurityPolicy(apiBase: string): string;
