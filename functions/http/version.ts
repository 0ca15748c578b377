/** The API's version, as health and metrics report it. */
export const VERSION = "0.1.0";
