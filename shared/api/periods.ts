/** A company's month through the API: submit it, read its state and carry, run, resend and close it (admin). */
import { type Static, Type } from "@sinclair/typebox";
import { Carry } from "../core/carry.ts";
import { PERIOD_PATTERN } from "../core/period.ts";
import type { PayslipResult } from "../core/result.ts";
import { ParameterNoticeSchema } from "../rates/parameter-notices.ts";
import { PeriodSubmissionBody } from "../schema/submission.ts";
import { CompanyId, EmployeeId, IsoDateTime } from "./fields.ts";

const Period = () => Type.String({ pattern: PERIOD_PATTERN });
const Count = () => Type.Integer({ minimum: 0 });

/** POST /api/companies/{companyId}/periods/{period}: each employee's engine input and the pane's figures. */
export { PeriodSubmissionBody };

const CasesToCheck = Type.Array(
  Type.Object({ employeeId: EmployeeId(), code: Type.String(), path: Type.String(), message: Type.String() }, { additionalProperties: false }),
);

/** Its answer: 201 when a new version was written, 200 when the same inputs were already stored. */
export const SubmitOutcome = Type.Object({
  companyId: CompanyId(),
  period: Period(),
  version: Type.Integer({ minimum: 1 }),
  status: Type.String(),
  written: Type.Boolean(),
  employees: Count(),
  /** Stale or unconfirmed parameters: one notice for the company and month (null when there is none). */
  parameterNotice: Type.Optional(Type.Union([ParameterNoticeSchema, Type.Null()])),
  /** Employee-specific warnings only, each naming the employee. */
  casesToCheck: Type.Optional(CasesToCheck),
});
export type SubmitOutcome = Static<typeof SubmitOutcome>;

export const PeriodStatus = Type.Union(["draft", "submitted", "generated", "mailed", "closed", "reopened"].map((s) => Type.Literal(s)));

/**
 * A month whose previous month was corrected after it was computed: its stored carry no longer matches, its run is
 * refused until it is recalculated and submitted again (functions/payroll/carry-check.ts).
 */
export const Recompute = Type.Object({
  correctedPeriod: Period(),
  correctedVersion: Type.Integer({ minimum: 1 }),
  employees: Type.Array(EmployeeId()),
  message: Type.String(),
});
export type Recompute = Static<typeof Recompute>;

/** GET /api/companies/{companyId}/periods/{period} (404 while nothing was submitted). The period record carries more. */
export const PeriodState = Type.Object({
  /** « à recalculer »: the previous month was corrected since this month was computed. */
  recompute: Type.Optional(Recompute),
  parameterNotice: Type.Optional(Type.Union([ParameterNoticeSchema, Type.Null()])),
  casesToCheck: Type.Optional(CasesToCheck),
  /** The month's latest queued run (functions/timers/payroll-dispatches.ts), absent before any. */
  run: Type.Optional(
    Type.Object({
      version: Type.Integer({ minimum: 1 }),
      state: Type.Union(["pending", "queued", "running", "done", "failed"].map((s) => Type.Literal(s))),
      /** As the admins read it: "en file d'attente", "en échec"… */
      label: Type.String(),
      attempts: Count(),
      reason: Type.Optional(Type.String()),
      updatedAt: IsoDateTime(),
    }),
  ),
  period: Type.Object({
    status: Type.String(),
    version: Count(),
    submittedAt: Type.Optional(IsoDateTime()),
    generatedAt: Type.Optional(IsoDateTime()),
    mailedAt: Type.Optional(IsoDateTime()),
    closedAt: Type.Optional(IsoDateTime()),
    counts: Type.Record(Type.String(), Count()),
  }),
  payslips: Type.Array(
    Type.Object({
      employeeId: EmployeeId(),
      grossCents: Type.Optional(Type.Integer()),
      netCents: Type.Optional(Type.Integer()),
      employerCostCents: Type.Optional(Type.Integer()),
      /** The engine's result as it was submitted (shared/core/result.ts). */
      result: Type.Unsafe<PayslipResult>(Type.Object({})),
    }),
  ),
  /** Links need the caller's Bearer token: the pane fetches them (GET …/documents/{*path}), it does not open them. */
  documents: Type.Array(Type.Object({ kind: Type.String(), path: Type.String(), url: Type.String() })),
  mails: Type.Object({
    counts: Type.Record(Type.String(), Count()),
    mails: Type.Array(
      Type.Object({
        employeeId: EmployeeId(),
        status: Type.String(),
        attempts: Count(),
        dueAt: Type.String(),
        sentAt: Type.Optional(Type.String()),
        lastError: Type.Optional(Type.String()),
        version: Type.Optional(Type.Integer()),
        sentVersions: Type.Optional(Type.String()),
        stuck: Type.Optional(Type.Boolean()),
        claimedAt: Type.Optional(Type.String()),
      }),
    ),
  }),
});
export type PeriodState = Static<typeof PeriodState>;

/** GET …/periods/{period}/carry: per matricule, the state carried into next month (null: none stored). */
export const CarryResponse = Type.Object({ period: Period(), carries: Type.Record(Type.String(), Type.Union([Carry, Type.Null()])) });
export type CarryResponse = Static<typeof CarryResponse>;

/**
 * POST …/periods/{period}/run (admin): "run now" puts the month's submitted version on the payroll queue (202), or
 * says why not (200, skipped). The run itself ends as a RunOutcome, which the period's state and health report.
 */
export const RunRequested = Type.Union([
  Type.Object({
    status: Type.Literal("queued"),
    companyId: CompanyId(),
    period: Period(),
    version: Type.Integer({ minimum: 1 }),
    /** False when this version was already on its way (or done, or failed). */
    enqueued: Type.Boolean(),
    state: Type.Union(["pending", "queued", "running", "done", "failed"].map((s) => Type.Literal(s))),
  }),
  Type.Object({ status: Type.Literal("skipped"), reason: Type.String() }),
]);
export type RunRequested = Static<typeof RunRequested>;

/** How a payroll run ends (functions/payroll/run.ts): what the queue worker records for the period. */
export const RunOutcome = Type.Union([
  Type.Object({ status: Type.Literal("skipped"), reason: Type.String() }),
  /** Another run holds (or generated) the period, or a newer version replaced the one this run held. */
  Type.Object({ status: Type.Literal("superseded"), runId: Type.String(), supersededBy: Type.Optional(Type.String()), reason: Type.String() }),
  Type.Object({
    status: Type.Literal("generated"),
    runId: Type.String(),
    version: Type.Integer(),
    documents: Count(),
    mailsQueued: Count(),
    withoutEmail: Type.Array(Type.String()),
    casesToCheck: Count(),
  }),
  Type.Object({ status: Type.Literal("failed"), error: Type.String() }),
]);
export type RunOutcome = Static<typeof RunOutcome>;

/** POST …/periods/{period}/resend (admin): how many failed mails were queued again. */
export const ResendResponse = Type.Object({ requeued: Count() });
/** POST …/periods/{period}/close (admin): 409 MAILS_PENDING naming the matricules whose mails hold it. */
export const CloseResponse = Type.Object({ status: PeriodStatus, version: Count(), closedAt: IsoDateTime() });
export type CloseResponse = Static<typeof CloseResponse>;

/** POST …/periods/{period}/reopen (admin): reopen a mailed or closed month for correction; the reason is mandatory. */
export const ReopenBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export type ReopenBody = Static<typeof ReopenBody>;
/** Its answer: the month is « rouverte pour correction »; the corrected inputs are then submitted as version + 1. */
export const ReopenResponse = Type.Object({
  status: Type.Literal("reopened"),
  /** The version reopened (the corrected one will be version + 1). */
  version: Type.Integer({ minimum: 1 }),
  previousStatus: Type.Union([Type.Literal("mailed"), Type.Literal("closed")]),
  reason: Type.String(),
  reopenedBy: Type.String(),
  reopenedAt: IsoDateTime(),
});
export type ReopenResponse = Static<typeof ReopenResponse>;
