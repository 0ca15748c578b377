/**
 * The task pane: Préparer → Valider → Calculer → Aperçu → Soumettre, and « Administration » for Payroll.Admin
 * (admin/AdminView.tsx; the server stays the authority, the pane only hides the tab from operators). All Excel access goes through `host`
 * (injected, so the browser test can run the real UI against a fake workbook). The pane's state is one reducer
 * (state.ts); this component talks to Excel and the server and dispatches what they answered; each step is drawn by
 * its component in steps/.
 */

import { Field, Input, MessageBar, MessageBarBody, Spinner, Tab, TabList, Title3 } from "@fluentui/react-components";
import { useCallback, useEffect, useReducer, useRef } from "react";
import type { CarryInput } from "../../shared/core/carry.ts";
import { isPeriod } from "../../shared/core/period.ts";
import type { CompanyInfo } from "../../shared/documents/types.ts";
import { summarise } from "../../shared/engine/summary.ts";
import { type Api, ApiFailure, companyChart, companyInfo, engineCompany } from "../api/client.ts";
import type { PaieConfig } from "../api/config.ts";
import { type Auth, authErrorMessage } from "../auth/auth.ts";
import type { Host } from "../excel/host.ts";
import { officeErrorMessage } from "../excel/host.ts";
import type { CalculateOutcome, MonthContext } from "../excel/operations.ts";
import { previousPeriod } from "../workbook/period.ts";
import { AdminView } from "./admin/AdminView.tsx";
import { fromView, type LoadedParameters, readCopy, storeCopy } from "./parameters.ts";
import { type Difference, INVALID_PERIOD, initialState, type ParameterRefusal, paneReducer, STEPS, type Step, submitBlocker } from "./state.ts";
import { CalculateStep } from "./steps/CalculateStep.tsx";
import { Connection } from "./steps/Connection.tsx";
import { ParametersBar } from "./steps/ParametersBar.tsx";
import { PrepareStep } from "./steps/PrepareStep.tsx";
import { PreviewStep } from "./steps/PreviewStep.tsx";
import { SubmitStep } from "./steps/SubmitStep.tsx";
import { ValidateStep } from "./steps/ValidateStep.tsx";
import { usePaneStyles } from "./styles.ts";

/** What the pane needs to talk to the payroll API; absent, the pane works on the workbook alone. */
export interface Cloud {
  config: PaieConfig;
  auth: Auth;
  api: Api;
}

/** Without the server, the preview still needs an employer block; the real one comes from the company record. */
const OFFLINE_COMPANY: CompanyInfo = { name: "Société (hors connexion)", addressLines: [], ccssEmployerNumber: "—" };
const POLL_MS = 5000;

function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const failureText = (e: unknown) => (e instanceof ApiFailure ? e.message : officeErrorMessage(e));

export function App({ host, initialPeriod, cloud }: { host: Host; initialPeriod: string; cloud?: Cloud }) {
  const s = usePaneStyles();
  const [state, dispatch] = useReducer(paneReducer, initialPeriod, (p) => initialState(p, readCopy()));
  const { step, period, busy, message, session, calc, calcPeriod, employee, pdf, remote } = state;
  /** Last month's carries per period as read from the server (null: the server has no such period). */
  const carries = useRef(new Map<string, ReadonlyMap<string, CarryInput> | null>());
  const calcRef = useRef<CalculateOutcome | null>(null);
  calcRef.current = calc;
  /** The set the next calculation uses: a reload followed by a recalculation must not wait for a render. */
  const paramsRef = useRef<LoadedParameters>(state.parameters);
  paramsRef.current = state.parameters;
  const companyId = session.state === "on" ? session.company.id : "";

  useEffect(() => {
    // Browser tests reach the pane's state through this hook only when the page asks for it before loading.
    const w = window as unknown as { __PAIE_TEST_HOOKS__?: boolean; __paie?: unknown };
    if (w.__PAIE_TEST_HOOKS__) w.__paie = { calc: () => calcRef.current };
  }, []);

  /** The server's set, kept for offline work; on failure the copy (or baseline) in use stays, with the reason. */
  const loadParameters = useCallback(async (): Promise<LoadedParameters> => {
    if (!cloud) return paramsRef.current;
    try {
      const view = await cloud.api.parameters();
      storeCopy(view);
      const loaded = fromView(view, "server");
      paramsRef.current = loaded;
      dispatch({ type: "parametersLoaded", parameters: loaded });
      return loaded;
    } catch (e) {
      const why = e instanceof ApiFailure ? e.message : String(e);
      dispatch({
        type: "parametersLoaded",
        parameters: paramsRef.current,
        error: `Paramètres non actualisés (${why}) : le calcul utilise la version ${paramsRef.current.set.version}.`,
      });
      return paramsRef.current;
    }
  }, [cloud]);

  const connect = useCallback(
    async (interactive: boolean) => {
      if (!cloud) return;
      dispatch({ type: "connecting" });
      try {
        await cloud.auth.getToken({ interactive });
        const companies = await cloud.api.companies();
        const chosen = companies.find((c) => c.id === cloud.config.companyId) ?? companies[0];
        if (!chosen) {
          dispatch({ type: "disconnected", error: "Aucune société accessible avec ce compte." });
          return;
        }
        const company = await cloud.api.company(chosen.id);
        carries.current.clear();
        dispatch({ type: "connected", user: cloud.auth.user() ?? "", companies, company });
        // The server's word on the roles; a server without /api/me shows no administration view.
        const me = await cloud.api.me().catch(() => null);
        dispatch({ type: "roles", admin: me?.roles.includes("Payroll.Admin") ?? false });
        await loadParameters();
      } catch (e) {
        dispatch({ type: "disconnected", error: e instanceof ApiFailure ? e.message : authErrorMessage(e) });
      }
    },
    [cloud, loadParameters],
  );
  useEffect(() => {
    void connect(false);
  }, [connect]);

  const run = async (fn: () => Promise<void>) => {
    if (!isPeriod(period)) {
      dispatch({ type: "failed", text: INVALID_PERIOD });
      return;
    }
    dispatch({ type: "started" });
    try {
      await fn();
    } catch (e) {
      dispatch({ type: "failed", text: failureText(e) });
    } finally {
      dispatch({ type: "finished" });
    }
  };

  /** The server's company settings and last month's carries when signed in; the workbook's otherwise. */
  const monthContext = async (p: string): Promise<{ month: MonthContext; carrySource: string }> => {
    if (!cloud || session.state !== "on") return { month: { parameters: paramsRef.current.set }, carrySource: "" };
    const { company } = session;
    const prev = previousPeriod(p);
    if (!carries.current.has(prev)) carries.current.set(prev, await cloud.api.carry(company.id, prev));
    const fromServer = carries.current.get(prev) ?? null;
    const chart = companyChart(company);
    const month: MonthContext = {
      parameters: paramsRef.current.set,
      company: engineCompany(company),
      companyInfo: companyInfo(company),
      ...(chart ? { chart } : {}),
      ...(fromServer ? { carries: fromServer } : {}),
    };
    return {
      month,
      carrySource: fromServer
        ? `Cumuls de ${prev} repris du serveur (${fromServer.size} salarié(s)).`
        : `Pas de période ${prev} sur le serveur : les cumuls du classeur (feuille masquée « Cumuls ${prev} ») seront utilisés.`,
    };
  };

  const chooseCompany = (id: string) =>
    run(async () => {
      if (!cloud || session.state !== "on") return;
      const company = await cloud.api.company(id);
      carries.current.clear();
      dispatch({ type: "companyChosen", company });
    });
  const prepare = () =>
    run(async () => {
      const outcome = await host.prepare(period);
      const { carrySource } = await monthContext(period);
      dispatch({ type: "prepared", outcome, carrySource });
    });
  const validate = () =>
    run(async () => {
      const out = await host.validate(period, (await monthContext(period)).month);
      dispatch({ type: "validated", issues: out.build.issues, employees: out.build.inputs.length });
    });
  const calculate = () => run(calculateNow);
  const calculateNow = async () => {
    // Read before calculating, so a submission that lands during the calculation is caught at submission.
    const seen = cloud && session.state === "on" ? await cloud.api.period(session.company.id, period) : undefined;
    const outcome = await host.calculate(period, (await monthContext(period)).month);
    dispatch({ type: "calculated", outcome, period, ...(seen === undefined ? {} : { seen }) });
  };
  /** After a refusal for the parameter set: the server's set, then the month computed again with it. */
  const reloadParameters = () =>
    run(async () => {
      await loadParameters();
      await calculateNow();
    });
  const select = (sheet: string, address: string) => run(() => host.select(sheet, address));

  useEffect(
    () => () => {
      if (pdf) URL.revokeObjectURL(pdf.url);
    },
    [pdf],
  );
  const previewPdf = () =>
    run(async () => {
      const chosen = calc?.results.find((r) => r.result.employeeId === employee);
      const input = calc?.build.inputs.find((i) => i.employee.id === employee);
      if (!chosen || !input) return;
      const { payslipPdf } = await import(/* webpackChunkName: "pdf" */ "../preview/payslip-pdf.ts");
      const bytes = await payslipPdf(chosen.result, input.employee, session.state === "on" ? companyInfo(session.company) : OFFLINE_COMPANY);
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/pdf" }));
      dispatch({ type: "pdf", pdf: { url, name: `Bulletin-${employee}-${calcPeriod}.pdf`, bytes: bytes.length } });
    });

  const refresh = useCallback(async () => {
    if (!cloud || !companyId || !isPeriod(period)) return;
    try {
      dispatch({ type: "remote", remote: await cloud.api.period(companyId, period) });
    } catch (e) {
      dispatch({ type: "failed", text: e instanceof ApiFailure ? e.message : String(e) });
    }
  }, [cloud, companyId, period]);
  useEffect(() => {
    if (step === "submit") void refresh();
  }, [step, refresh]);
  useEffect(() => {
    // Documents and mails appear after the payroll run: follow them while the tab is open and work remains.
    if (step !== "submit" || !remote || ["mailed", "closed"].includes(remote.period.status)) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [step, remote, refresh]);

  const submit = () =>
    run(async () => {
      dispatch({ type: "submitting" });
      const blocker = submitBlocker(state);
      if (blocker || !cloud || !calc) {
        dispatch({ type: "failed", text: blocker ?? "Connectez-vous d'abord au serveur de paie." });
        return;
      }
      try {
        const replacesVersion = state.basedOn ?? (await cloud.api.period(companyId, period))?.period.version ?? 0;
        const outcome = await cloud.api.submit(companyId, {
          period,
          inputs: calc.build.inputs,
          results: calc.results.map((r) => summarise(r.result)),
          employees: calc.build.staff,
          replacesVersion,
          parameterSet: state.calcParameters,
        });
        dispatch({ type: "submitted", outcome, period });
        await refresh();
      } catch (e) {
        // A stale version (STALE_VERSION) is told by the server's message alone: recalculate after reloading.
        if (e instanceof ApiFailure && e.status === 409 && e.code === "RESULTS_DIFFER") dispatch({ type: "refused", differences: e.details as Difference[] });
        if (e instanceof ApiFailure && e.status === 409 && (e.code === "PARAMETERS_DIFFER" || e.code === "PARAMETERS_UNKNOWN"))
          dispatch({ type: "parametersRefused", details: e.details as ParameterRefusal[] });
        throw e;
      }
    });
  const download = (url: string, name: string) =>
    run(async () => {
      if (cloud) saveBlob(await cloud.api.download(url), name);
    });

  return (
    <div className={s.root}>
      <Title3>Paie Monaco</Title3>
      {cloud && <Connection session={session} mode={cloud.config.mode} onConnect={() => void connect(true)} onChooseCompany={chooseCompany} />}
      <ParametersBar parameters={state.parameters} error={state.parametersError} refused={state.parametersRefused} busy={busy} onReload={reloadParameters} />
      <Field label="Période (AAAA-MM)">
        <Input value={period} onChange={(_, d) => dispatch({ type: "period", period: d.value.trim() })} aria-label="Période" />
      </Field>
      <TabList selectedValue={step} onTabSelect={(_, d) => dispatch({ type: "step", step: d.value as Step })} size="small">
        {STEPS.map((t) => (
          <Tab key={t.id} value={t.id}>
            {t.label}
          </Tab>
        ))}
        {state.admin && <Tab value="admin">Administration</Tab>}
      </TabList>
      {busy && <Spinner size="tiny" label="Traitement en cours…" />}
      {message && (
        <MessageBar intent={message.intent} role="status">
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      )}
      {step === "prepare" && <PrepareStep period={period} busy={busy} onPrepare={prepare} />}
      {step === "validate" && <ValidateStep busy={busy} issues={state.issues} onValidate={validate} onSelect={(i) => select(i.sheet, i.address)} />}
      {step === "calculate" && <CalculateStep busy={busy} issues={state.issues} onCalculate={calculate} onSelect={(i) => select(i.sheet, i.address)} />}
      {step === "preview" && (
        <PreviewStep
          calc={calc}
          employee={employee}
          busy={busy}
          pdf={pdf}
          onEmployee={(id) => dispatch({ type: "employee", employee: id })}
          onPdf={previewPdf}
        />
      )}
      {step === "admin" && cloud && state.admin && (
        <AdminView api={cloud.api} parameters={state.parameters} today={new Date().toISOString().slice(0, 10)} onParametersChanged={loadParameters} />
      )}
      {step === "submit" && (
        <SubmitStep
          signedIn={session.state === "on"}
          period={period}
          busy={busy}
          details={state.details}
          remote={remote}
          onSubmit={submit}
          onRefresh={() => void refresh()}
          onDownload={download}
        />
      )}
    </div>
  );
}
