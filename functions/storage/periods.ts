/**
 * Pay periods: partition = company, row = YYYY-MM. The period row is the single source of truth for
 * which payslip version readers see (`payslipSet`); every write to it is ETag-guarded.
 */
import { type Static, Type } from "@sinclair/typebox";
import { PERIOD_PATTERN } from "../../shared/core/period.ts";
import { ParameterNoticeSchema } from "../../shared/rates/parameter-notices.ts";
import { createIfAbsent, replaceIfMatch } from "./batch.ts";
import { defineCodec, type Stored } from "./codec.ts";
import type { Storage } from "./config.ts";
import { StorageError } from "./errors.ts";
import { assertCompanyId, assertPeriod, COMPANY_ID_PATTERN, odataString } from "./keys.ts";
import { Cents, IsoDateTime, readMany, readOne, withEtag } from "./repo.ts";
import { RUN_ID_PATTERN } from "./runs.ts";

/** "reopened": a mailed or closed month an admin opened for correction (functions/payroll/reopen-period.ts). */
export const PERIOD_STATUSES = ["draft", "submitted", "generated", "mailed", "closed", "reopened"] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];

/**
 * Resubmitting (→ submitted) is allowed until payslips have been mailed: after that a correction is an audited
 * event — an admin reopens the month (→ reopened, with a reason), and only then is a new version accepted; a month
 * reopened by mistake can be closed again as it was.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<PeriodStatus, readonly PeriodStatus[]>> = {
  draft: ["submitted"],
  submitted: ["submitted", "generated"],
  generated: ["submitted", "generated", "mailed"],
  mailed: ["closed", "reopened"],
  closed: ["reopened"],
  reopened: ["submitted", "closed"],
};

const STATUS_LABELS: Record<PeriodStatus, string> = {
  draft: "brouillon",
  submitted: "soumise",
  generated: "documents générés",
  mailed: "bulletins envoyés",
  closed: "clôturée",
  reopened: "rouverte pour correction",
};

export function assertTransition(from: PeriodStatus, to: PeriodStatus, where: string): void {
  if (!ALLOWED_TRANSITIONS[from].includes(to)) {
    throw new StorageError(
      "transition",
      `Changement d'état refusé pour la période ${where} : « ${STATUS_LABELS[from]} » → « ${STATUS_LABELS[to]} » n'est pas permis.`,
    );
  }
}

/**
 * How long a payroll run's claim on a period lasts. Longer than any invocation can live (the host stops one at
 * 10 min, host.json), so a live run never loses its claim to another; a dead one blocks the period this long at most.
 */
export const RUN_CLAIM_MS = 15 * 60 * 1000;

/** The run holding `record` at `now`: a submitted period with a claim that has not expired. */
export function claimHolder(record: PeriodRecord, now: Date): string | undefined {
  if (record.status !== "submitted" || !record.claimedBy || !record.claimExpiresAt) return undefined;
  return Date.parse(record.claimExpiresAt) > now.getTime() ? record.claimedBy : undefined;
}

export const PeriodDocumentSchema = Type.Object(
  {
    kind: Type.String({ minLength: 1, maxLength: 40 }),
    path: Type.String({ minLength: 1, maxLength: 1024 }),
    sha256: Type.Optional(Type.String({ pattern: "^[0-9a-f]{64}$" })),
    /** Day the document was issued, when it is older than the version listing it (a payslip a correction kept). */
    issuedOn: Type.Optional(Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" })),
  },
  { additionalProperties: false },
);

/** A payslip in force for one employee: what a corrected payslip cancels and replaces (its date is printed). */
export const PayslipInForceSchema = Type.Object(
  {
    employeeId: Type.String({ maxLength: 40 }),
    path: Type.String({ minLength: 1, maxLength: 1024 }),
    sha256: Type.Optional(Type.String({ pattern: "^[0-9a-f]{64}$" })),
    issuedOn: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }),
  },
  { additionalProperties: false },
);
export type PayslipInForce = Static<typeof PayslipInForceSchema>;

/**
 * Why and from what a mailed or closed month was reopened: kept on the period through the corrected version's
 * submission and run (which compares with `fromPayslipSet`), until the next reopening replaces it.
 */
export const CorrectionSchema = Type.Object(
  {
    fromVersion: Type.Integer({ minimum: 1 }),
    fromPayslipSet: Type.String({ pattern: "^v\\d{4}\\.[0-9a-f]{8}$" }),
    previousStatus: Type.Union([Type.Literal("mailed"), Type.Literal("closed")]),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    reopenedBy: Type.String({ maxLength: 200 }),
    reopenedAt: IsoDateTime(),
    inForce: Type.Array(PayslipInForceSchema, { maxItems: 5000 }),
  },
  { additionalProperties: false },
);
export type Correction = Static<typeof CorrectionSchema>;

export const PeriodSchema = Type.Object(
  {
    companyId: Type.String({ pattern: COMPANY_ID_PATTERN }),
    period: Type.String({ pattern: PERIOD_PATTERN }),
    status: Type.Union(PERIOD_STATUSES.map((s) => Type.Literal(s))),
    /** 0 while draft, 1 at the first submission, +1 at each resubmission. */
    version: Type.Integer({ minimum: 0 }),
    /** Row-key prefix of the payslips of the current version (see payslips.ts). */
    payslipSet: Type.Optional(Type.String({ pattern: "^v\\d{4}\\.[0-9a-f]{8}$" })),
    submittedBy: Type.Optional(Type.String({ maxLength: 200 })),
    submittedAt: Type.Optional(IsoDateTime()),
    inputHash: Type.Optional(Type.String({ pattern: "^[0-9a-f]{64}$" })),
    generatedAt: Type.Optional(IsoDateTime()),
    mailedAt: Type.Optional(IsoDateTime()),
    closedAt: Type.Optional(IsoDateTime()),
    documents: Type.Array(PeriodDocumentSchema),
    /** Documents the run could not build (employee, reason): the month was generated without them. */
    documentFailures: Type.Optional(
      Type.Array(
        Type.Object(
          {
            kind: Type.String({ maxLength: 40 }),
            employeeId: Type.Optional(Type.String({ maxLength: 40 })),
            reason: Type.String({ maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 1000 },
      ),
    ),
    counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
    /** Set by a reopening for correction (see CorrectionSchema). */
    correction: Type.Optional(CorrectionSchema),
    /** The month's stale or unconfirmed parameters, said once for the company and month (shared/rates/parameter-notices.ts). */
    parameterNotice: Type.Optional(ParameterNoticeSchema),
    grossCents: Type.Optional(Cents()),
    netCents: Type.Optional(Cents()),
    employerCostCents: Type.Optional(Cents()),
    /**
     * The payroll run that holds this version (status "submitted", until `claimExpiresAt`) or generated it. Written
     * with the period's ETag, so exactly one run holds a version; a resubmission writes a new row without it.
     */
    claimedBy: Type.Optional(Type.String({ pattern: RUN_ID_PATTERN })),
    /** End of the claim: a run that died holding it blocks the period until then, no longer. */
    claimExpiresAt: Type.Optional(IsoDateTime()),
    updatedAt: IsoDateTime(),
  },
  { additionalProperties: false },
);
export type PeriodRecord = Static<typeof PeriodSchema>;

export function periodsRepository(storage: Storage) {
  const client = storage.table("periods");
  const codec = defineCodec(client.tableName, PeriodSchema);
  const keys = (companyId: string, period: string) => {
    assertCompanyId(companyId);
    assertPeriod(period);
    return [companyId, period] as const;
  };
  const repo = {
    codec,
    get(companyId: string, period: string): Promise<Stored<PeriodRecord> | undefined> {
      return readOne(client, codec, ...keys(companyId, period));
    },
    list(companyId: string): Promise<Array<Stored<PeriodRecord>>> {
      assertCompanyId(companyId);
      return readMany(client, codec, `PartitionKey eq ${odataString(companyId)}`);
    },
    /** Every period of every company (the daily pruning sweep). */
    listAll(): Promise<Array<Stored<PeriodRecord>>> {
      return readMany(client, codec, undefined);
    },
    /** Creates the row; ConcurrencyError if it already exists. */
    async create(record: PeriodRecord): Promise<Stored<PeriodRecord>> {
      const etag = await createIfAbsent(client, codec.toEntity(...keys(record.companyId, record.period), record));
      return withEtag(record, etag);
    },
    /**
     * Replaces the row guarded by the ETag of `current`, after checking the status change is allowed.
     * ConcurrencyError when someone else wrote it in between.
     */
    async replace(current: Stored<PeriodRecord>, next: PeriodRecord): Promise<Stored<PeriodRecord>> {
      if (current.companyId !== next.companyId || current.period !== next.period) {
        throw new StorageError("codec", "Une période ne peut pas changer de société ni de mois.");
      }
      assertTransition(current.status, next.status, `${next.companyId} ${next.period}`);
      const etag = await replaceIfMatch(client, codec.toEntity(...keys(next.companyId, next.period), next), current.etag);
      return withEtag(next, etag);
    },
    /** Moves to `status` with extra fields (generatedAt, documents…), ETag-guarded. */
    async transition(
      current: Stored<PeriodRecord>,
      status: PeriodStatus,
      patch: Partial<Omit<PeriodRecord, "companyId" | "period" | "status">> & { updatedAt: string },
    ): Promise<Stored<PeriodRecord>> {
      const { etag: _etag, ...base } = current;
      return repo.replace(current, { ...base, ...patch, status });
    },
    /**
     * Claims the submitted period for the run `runId` until now + RUN_CLAIM_MS (also renews the run's own claim).
     * StorageError("transition") when it is not submitted or another live run holds it; ConcurrencyError when the
     * row changed since `current` was read (another claim, a resubmission): re-read and decide again.
     */
    async claim(current: Stored<PeriodRecord>, runId: string, now: Date): Promise<Stored<PeriodRecord>> {
      const holder = claimHolder(current, now);
      if (current.status !== "submitted" || (holder && holder !== runId)) {
        throw new StorageError(
          "transition",
          `Période ${current.companyId} ${current.period} : pas de traitement possible (« ${STATUS_LABELS[current.status]} »${holder ? `, traitée par l'exécution ${holder}` : ""}).`,
        );
      }
      const { etag: _etag, ...base } = current;
      const until = new Date(now.getTime() + RUN_CLAIM_MS).toISOString();
      return repo.replace(current, { ...base, claimedBy: runId, claimExpiresAt: until, updatedAt: now.toISOString() });
    },
    /** Gives the claim back (a run that failed), so the next run need not wait for it to expire. ETag-guarded. */
    async release(current: Stored<PeriodRecord>, now: Date): Promise<Stored<PeriodRecord>> {
      const { etag: _etag, claimedBy: _c, claimExpiresAt: _x, ...base } = current;
      return repo.replace(current, { ...base, updatedAt: now.toISOString() });
    },
  };
  return repo;
}
export type PeriodsRepository = ReturnType<typeof periodsRepository>;
