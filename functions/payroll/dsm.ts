/** The DSM 2.0 declaration of the period, added to the run's documents. */
import { buildDsmXml } from "../../shared/documents/dsm/dsm.ts";
import type { RunDependencies } from "./run.ts";

export const dsmExtra: NonNullable<RunDependencies["extraDocuments"]> = (results, base) => [
  {
    ref: { kind: "dsm" },
    kind: "dsm",
    build: () => new TextEncoder().encode(buildDsmXml({ company: base.company, period: base.period, results, employees: base.employees })),
  },
];
