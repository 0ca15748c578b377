/** A located problem, the one shape of every error and warning the shared code reports (French message). */
export interface Issue {
  /** Stable machine code, e.g. "INVALID_DATE", "PARAM_MISSING". */
  code: string;
  /** Path of the offending input field, e.g. "variables.absences[0].hours", or the parameter id. */
  path: string;
  /** French, starting with the path: "employee.exitDate : sortie le …". */
  message: string;
}
