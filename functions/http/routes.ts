/**
 * The HTTP API for the task pane. Every route authenticates, checks the role and the company grant, validates its
 * body by schema and answers JSON with French messages.
 *
 *   GET  /api/health                                        (anonymous) storage reachable, version, last runs
 *   GET  /api/metrics                                       Prometheus text (metrics key or admin)
 *   GET  /api/companies                                     companies the caller may see
 *   GET  /api/companies/{companyId}                         one company
 *   PUT  /api/companies/{companyId}                         create/update (admin)
 *   GET  /api/companies/{companyId}/employees               master data
 *   PUT  /api/companies/{companyId}/employees               replace master data (admin)
 *   POST /api/companies/{companyId}/periods/{period}        submit a period (inputs + the pane's figures + the version it replaces)
 *   GET  /api/companies/{companyId}/periods/{period}        status, payslips, document links, mails
 *   GET  /api/companies/{companyId}/periods/{period}/carry  year-to-date state per employee, to prepare next month
 *   GET  /api/companies/{companyId}/documents/{*path}       download a document of the company
 *   POST /api/companies/{companyId}/periods/{period}/run    queue the payroll run now (admin): 202
 *   POST /api/companies/{companyId}/periods/{period}/resend resend failed mails (admin)
 *   POST /api/companies/{companyId}/periods/{period}/close  close a mailed period: no resubmission after (admin)
 *   GET  /api/companies/{companyId}/audit                   audit trail (admin)
 *   GET  /api/parameters                                    the parameter set in force (parameters-get.ts)
 *   PUT  /api/parameters                                    enter a dated value with its reference (admin, parameter-put.ts)
 *   GET  /api/parameters/history                            who changed which parameter (admin, parameters-history.ts)
 *   (document codes: functions/http/document-codes.ts)
 */

import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { type TSchema, Type } from "@sinclair/typebox";
import type { PayslipResult } from "../../shared/core/result.ts";
import { casesToCheck, parameterNotice } from "../../shared/rates/parameter-notices.ts";
import { compileChecker } from "../../shared/schema/checker.ts";
import { Company as EngineCompany } from "../../shared/schema/payslip-input.ts";
import { schemaIssues } from "../../shared/schema/validate.ts";
import { api, COMPANY_ID, type Handler, json, PERIOD, param, readJson } from "../app/http.ts";
import type { Services } from "../app/services.ts";
import { canSeeCompany, type Principal, type Role, requireCompany, requireRole } from "../auth/index.ts";
import { healthHandler, metricsHandler } from "../ops/health.ts";
import { ApiError } from "../payroll/errors.ts";
import { closeMailing, mailStatuses, resendFailed } from "../payroll/mails.ts";
import { submitPeriodBody } from "../payroll/submit.ts";
import {
  auditRepository,
  type Company,
  CompanySchema,
  companiesRepository,
  EmployeeSchema,
  employeesRepository,
  periodsRepository,
  readCurrentPayslips,
} from "../storage/index.ts";
import { payrollRunState } from "../timers/payroll-dispatches.ts";
import { requestPayrollRun } from "../timers/payroll-fanout.ts";
import { putParameter } from "./parameter-put.ts";
import { getParameters } from "./parameters-get.ts";
import { getParameterHistory } from "./parameters-history.ts";

export const VERSION = "0.1.0";

function validate<T>(schema: TSchema, value: unknown, what: string): T {
  const check = compileChecker(schema);
  if (check.Check(value)) return value as T;
  const details = schemaIssues(value, check).slice(0, 20);
  throw new ApiError(400, "INVALID_BODY", `${what} invalide : ${details[0]?.message ?? "corps non conforme"}`, details);
}

const CompanyBody = Type.Omit(CompanySchema, ["updatedAt", "updatedBy"]);
const EmployeesBody = Type.Array(Type.Omit(EmployeeSchema, ["updatedAt", "companyId"]), { maxItems: 5000 });

/** Storage reachability, version and the last run per company (details only for authenticated callers): functions/ops/health.ts. */
type StaffRow = {
  employeeId: string;
  lastName: string;
  firstName: string;
  email?: string;
  active: boolean;
  entryDate: string;
  exitDate?: string;
  data: Record<string, unknown>;
};

/** Which employees were added and which fields of which employees changed, by name only. */
export function employeeChanges(before: Map<string, StaffRow>, after: StaffRow[]): { before: unknown; after: unknown } {
  const changed: Record<string, string[]> = {};
  const added: string[] = [];
  for (const e of after) {
    const old = before.get(e.employeeId);
    if (!old) {
      added.push(e.employeeId);
      continue;
    }
    const fields: string[] = [];
    for (const k of ["lastName", "firstName", "email", "active", "entryDate", "exitDate"] as const)
      if (JSON.stringify(old[k]) !== JSON.stringify(e[k])) fields.push(k);
    const keys = new Set([...Object.keys(old.data), ...Object.keys(e.data)]);
    for (const k of keys) if (JSON.stringify(old.data[k]) !== JSON.stringify(e.data[k])) fields.push(`data.${k}`);
    if (fields.length) changed[e.employeeId] = fields;
  }
  return { before: { employees: before.size }, after: { employees: after.length, added, changed } };
}

export function health(services: () => Services): Handler {
  return healthHandler(services, VERSION);
}

export function routes(services: () => Services): { name: string; route: string; methods: ("GET" | "POST" | "PUT")[]; handler: Handler }[] {
  /** A company route: role, then grant on the company, then the period (when the route has one), storage ready. */
  const scoped = (
    role: Role,
    fn: (req: HttpRequest, p: Principal, s: Services, scope: { companyId: string; period: string }) => Promise<HttpResponseInit>,
  ): Handler =>
    api(services, async (req, p, s) => {
      requireRole(p, role);
      const companyId = param(req, "companyId", COMPANY_ID, "Société");
      requireCompany(p, companyId);
      const period = req.params.period !== undefined ? param(req, "period", PERIOD, "Période") : "";
      await s.storage.ensure();
      return fn(req, p, s, { companyId, period });
    });
  /** A firm-wide route (no company in the address): role, then storage ready. */
  const firmWide = (role: Role, fn: (req: HttpRequest, p: Principal, s: Services) => Promise<HttpResponseInit>): Handler =>
    api(services, async (req, p, s) => {
      requireRole(p, role);
      await s.storage.ensure();
      return fn(req, p, s);
    });
  return [
    { name: "health", route: "health", methods: ["GET"], handler: health(services) },
    { name: "parameters-get", route: "parameters", methods: ["GET"], handler: firmWide("Payroll.Operator", getParameters) },
    { name: "parameter-put", route: "parameters", methods: ["PUT"], handler: firmWide("Payroll.Admin", putParameter) },
    { name: "parameters-history", route: "parameters/history", methods: ["GET"], handler: firmWide("Payroll.Admin", getParameterHistory) },
    // Prometheus text format; PAIE_METRICS_KEY holder or Payroll.Admin (functions/ops/health.ts says why).
    { name: "metrics", route: "metrics", methods: ["GET"], handler: metricsHandler(services, VERSION) },
    {
      name: "companies-list",
      route: "companies",
      methods: ["GET"],
      handler: api(services, async (_req, p, s) => {
        requireRole(p, "Payroll.Operator");
        await s.storage.ensure();
        const all = await companiesRepository(s.storage).list();
        return json(200, { companies: all.filter((c) => canSeeCompany(p, c.id)).map(({ etag: _e, ...c }) => c) });
      }),
    },
    {
      name: "company-get",
      route: "companies/{companyId}",
      methods: ["GET"],
      handler: scoped("Payroll.Operator", async (req, p, s, { companyId: id }) => {
        const c = await companiesRepository(s.storage).get(id);
        if (!c) throw new ApiError(404, "not_found", `Société ${id} introuvable.`);
        return json(200, c, { ETag: c.etag });
      }),
    },
    {
      name: "company-put",
      route: "companies/{companyId}",
      methods: ["PUT"],
      handler: scoped("Payroll.Admin", async (req, p, s, { companyId: id }) => {
        const body = validate<Omit<Company, "updatedAt" | "updatedBy">>(CompanyBody, await readJson(req, s.config.maxBodyBytes), "Société");
        if (body.id !== id) throw new ApiError(400, "COMPANY_MISMATCH", `L'identifiant du corps (${body.id}) ne correspond pas à l'adresse (${id}).`);
        const engine = (body.settings as { engine?: unknown }).engine;
        if (engine !== undefined) validate(EngineCompany, engine, "Paramètres de calcul de la société");
        const repo = companiesRepository(s.storage);
        const now = s.now().toISOString();
        const before = await repo.get(id);
        const next: Company = { ...body, updatedAt: now, updatedBy: p.name || p.oid };
        const saved = before ? await repo.update({ ...next, etag: req.headers.get("if-match") ?? before.etag }) : await repo.create(next);
        const { etag: _b, ...beforeValue } = before ?? { etag: "" };
        await auditRepository(s.storage).append({
          companyId: id,
          at: now,
          actor: p.oid,
          action: before ? "company.update" : "company.create",
          target: id,
          before: before ? beforeValue : null,
          after: next,
        });
        return json(before ? 200 : 201, saved, { ETag: saved.etag });
      }),
    },
    {
      name: "employees-get",
      route: "companies/{companyId}/employees",
      methods: ["GET"],
      handler: scoped("Payroll.Operator", async (req, p, s, { companyId: id }) => {
        const list = await employeesRepository(s.storage).list(id);
        return json(200, { employees: list.map(({ etag: _e, ...e }) => e) });
      }),
    },
    {
      name: "employees-put",
      route: "companies/{companyId}/employees",
      methods: ["PUT"],
      handler: scoped("Payroll.Admin", async (req, p, s, { companyId: id }) => {
        type Body = {
          employeeId: string;
          lastName: string;
          firstName: string;
          email?: string;
          active: boolean;
          entryDate: string;
          exitDate?: string;
          data: Record<string, unknown>;
        }[];
        const body = validate<Body>(EmployeesBody, await readJson(req, s.config.maxBodyBytes, "salariés"), "Liste des salariés");
        const now = s.now().toISOString();
        const repo = employeesRepository(s.storage);
        const before = new Map((await repo.list(id)).map((e) => [e.employeeId, e]));
        await repo.putMany(body.map((e) => ({ ...e, companyId: id, updatedAt: now })));
        // Before/after as the names of what changed per matricule: the audit must say what moved without copying
        // personal data (CCSS numbers, birth dates, bank details are encrypted in their own table).
        await auditRepository(s.storage).append({
          companyId: id,
          at: now,
          actor: p.oid,
          action: "employees.replace",
          target: id,
          ...employeeChanges(before, body),
        });
        return json(200, { employees: body.length });
      }),
    },
    {
      name: "period-submit",
      route: "companies/{companyId}/periods/{period}",
      methods: ["POST"],
      handler: scoped("Payroll.Operator", async (req, p, s, { companyId: id, period }) => {
        const body = await readJson(req, s.config.maxBodyBytes);
        const outcome = await submitPeriodBody(s, p, id, period, body);
        return json(outcome.written ? 201 : 200, outcome);
      }),
    },
    {
      name: "period-get",
      route: "companies/{companyId}/periods/{period}",
      methods: ["GET"],
      handler: scoped("Payroll.Operator", async (req, p, s, { companyId: id, period }) => {
        const { period: record, payslips } = await readCurrentPayslips(s.storage, id, period);
        const mails = await mailStatuses(s, id, period);
        const run = await payrollRunState(s.storage, id, period);
        const results = payslips.map((ps) => (ps.result as { result: PayslipResult }).result);
        const names = new Map(payslips.filter((ps) => ps.employee).map((ps) => [ps.employeeId, `${ps.employee!.lastName} ${ps.employee!.firstName}`]));
        return json(200, {
          ...(run ? { run } : {}),
          period: { ...record, etag: undefined },
          // Said once for the month (a version stored before notices were kept has it recomputed from its results).
          parameterNotice: record.parameterNotice ?? parameterNotice(period, results) ?? null,
          casesToCheck: casesToCheck(results, names),
          payslips: payslips.map((ps) => ({
            employeeId: ps.employeeId,
            grossCents: ps.grossCents,
            netCents: ps.netCents,
            employerCostCents: ps.employerCostCents,
            result: (ps.result as { result: unknown }).result,
          })),
          documents: record.documents.map((d) => ({
            ...d,
            url: `${s.config.publicBaseUrl}/api/companies/${id}/documents/${d.path.slice(`companies/${id}/`.length)}`,
          })),
          mails,
        });
      }),
    },
    {
      name: "period-carry",
      route: "companies/{companyId}/periods/{period}/carry",
      methods: ["GET"],
      handler: scoped("Payroll.Operator", async (req, p, s, { companyId: id, period }) => {
        const { payslips } = await readCurrentPayslips(s.storage, id, period);
        return json(200, { period, carries: Object.fromEntries(payslips.map((ps) => [ps.employeeId, ps.ytd])) });
      }),
    },
    {
      name: "document-get",
      route: "companies/{companyId}/documents/{*path}",
      methods: ["GET"],
      handler: scoped("Payroll.Operator", async (req, p, s, { companyId: id }) => {
        const rest = req.params.path ?? "";
        if (!/^\d{4}-\d{2}\/v\d+\/[A-Za-z0-9_./-]+$/.test(rest) || rest.includes("..")) throw new ApiError(400, "INVALID_PATH", "Chemin de document invalide.");
        const blob = await s.documents.get(`companies/${id}/${rest}`);
        if (!blob) throw new ApiError(404, "not_found", "Document introuvable.");
        return { status: 200, body: blob.bytes, headers: { "Content-Type": blob.contentType, "Cache-Control": "private, no-store" } };
      }),
    },
    {
      name: "period-run",
      route: "companies/{companyId}/periods/{period}/run",
      methods: ["POST"],
      handler: scoped("Payroll.Admin", async (req, p, s, { companyId: id, period }) => {
        // Queued like the scheduler's runs (functions/timers/payroll-fanout.ts): 202, the period's state tells the rest.
        const outcome = await requestPayrollRun(s, id, period, p.oid);
        return json(outcome.status === "queued" ? 202 : 200, outcome);
      }),
    },
    {
      name: "period-resend",
      route: "companies/{companyId}/periods/{period}/resend",
      methods: ["POST"],
      handler: scoped("Payroll.Admin", async (req, p, s, { companyId: id, period }) => {
        const requeued = await resendFailed(s, id, period, p.oid);
        return json(200, { requeued });
      }),
    },
    {
      name: "period-close",
      route: "companies/{companyId}/periods/{period}/close",
      methods: ["POST"],
      handler: scoped("Payroll.Admin", async (_req, p, s, { companyId: id, period }) => {
        const periods = periodsRepository(s.storage);
        const current = await periods.get(id, period);
        if (!current) throw new ApiError(404, "not_found", `Période ${period} introuvable pour la société ${id}.`);
        if (current.status === "generated") {
          // Not yet "mailed": say exactly which mails hold it, or move it on now that they are all out.
          const outcome = await closeMailing(s, id, period);
          if (!outcome.closed) {
            throw new ApiError(
              409,
              "MAILS_PENDING",
              `Période ${period} non clôturable : ${outcome.reason}${outcome.blocking.length ? ` — ${outcome.blocking.join(", ")}` : ""}.`,
              outcome.blocking,
            );
          }
        }
        const fresh = (await periods.get(id, period)) ?? current;
        const now = s.now().toISOString();
        // Only a mailed period closes (storage/periods.ts); a closed one can no longer be resubmitted.
        const closed = await periods.transition(fresh, "closed", { updatedAt: now, closedAt: now });
        await auditRepository(s.storage).append({
          companyId: id,
          at: now,
          actor: p.oid,
          action: "period.closed",
          target: `${id}/${period}`,
          before: { status: current.status },
          after: { status: closed.status, version: closed.version },
        });
        return json(200, { status: closed.status, version: closed.version, closedAt: now });
      }),
    },
    {
      name: "audit-get",
      route: "companies/{companyId}/audit",
      methods: ["GET"],
      handler: scoped("Payroll.Admin", async (req, p, s, { companyId: id }) => {
        const entries = await auditRepository(s.storage).list(id, 500);
        return json(200, { entries: entries.map(({ etag: _e, ...e }) => e) });
      }),
    },
  ];
}
