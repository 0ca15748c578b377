/**
 * The task pane: Préparer → Valider → Calculer → Aperçu → Soumettre. All Excel access goes through `host`
 * (injected, so the browser test can run the real UI against a fake workbook).
 */

import {
  Badge,
  Button,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Option,
  Spinner,
  Tab,
  TabList,
  Text,
  Title3,
  tokens,
} from "@fluentui/react-components";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { CarryInput } from "../../shared/core/carry.ts";
import { formatEuros } from "../../shared/core/format.ts";
import { isPeriod } from "../../shared/core/period.ts";
import type { CompanyInfo } from "../../shared/documents/types.ts";
import { summarise } from "../../shared/engine/summary.ts";
import { type Api, ApiFailure, companyChart, companyInfo, engineCompany, type PeriodState, type ServerCompany } from "../api/client.ts";
import type { PaieConfig } from "../api/config.ts";
import { type Auth, authErrorMessage } from "../auth/auth.ts";
import type { Host } from "../excel/host.ts";
import { officeErrorMessage } from "../excel/host.ts";
import type { CalculateOutcome, MonthContext } from "../excel/operations.ts";
import { previousPeriod } from "../workbook/period.ts";
import type { SheetIssue } from "../workbook/table.ts";

/** What the pane needs to talk to the payroll API; absent, the pane works on the workbook alone. */
export interface Cloud {
  config: PaieConfig;
  auth: Auth;
  api: Api;
}

type Session = { state: "off"; error?: string } | { state: "connecting" } | { state: "on"; user: string; companies: ServerCompany[]; company: ServerCompany };

const STATUS_FR: Record<string, string> = {
  draft: "brouillon",
  submitted: "soumise — enregistrée sur le serveur",
  generated: "documents générés",
  mailed: "bulletins envoyés",
  closed: "clôturée",
};
const DOC_FR: Record<string, string> = {
  payslip: "Bulletin",
  journal: "Journal de paie",
  charges: "État des charges",
  provision: "Provision congés payés",
  dsm: "DSM",
};
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

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: "12px", padding: "12px" },
  group: { display: "flex", flexDirection: "column", gap: "4px" },
  issue: { textAlign: "left", justifyContent: "flex-start", whiteSpace: "normal", height: "auto", paddingTop: "4px", paddingBottom: "4px" },
  totals: { display: "grid", gridTemplateColumns: "1fr auto", gap: "2px 12px" },
  line: { borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, padding: "4px 0" },
  small: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

type Step = "prepare" | "validate" | "calculate" | "preview" | "submit";
const STEPS: { id: Step; label: string }[] = [
  { id: "prepare", label: "Préparer" },
  { id: "validate", label: "Valider" },
  { id: "calculate", label: "Calculer" },
  { id: "preview", label: "Aperçu" },
  { id: "submit", label: "Soumettre" },
];
const SEVERITY = {
  error: { label: "Erreur", color: "danger" },
  warning: { label: "Attention", color: "warning" },
  confirm: { label: "À confirmer", color: "informative" },
} as const;

// No-break spaces on screen: an amount never wraps in the narrow pane.
const euros = (cents: number) => formatEuros(cents, "\u00a0");

export function App({ host, initialPeriod, cloud }: { host: Host; initialPeriod: string; cloud?: Cloud }) {
  const s = useStyles();
  const [step, setStep] = useState<Step>("prepare");
  const [period, setPeriod] = useState(initialPeriod);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ intent: "success" | "error" | "info" | "warning"; text: string } | null>(null);
  const [issues, setIssues] = useState<SheetIssue[] | null>(null);
  const [calc, setCalc] = useState<CalculateOutcome | null>(null);
  const [employee, setEmployee] = useState<string>("");
  const [calcPeriod, setCalcPeriod] = useState("");
  /**
   * The server's version of the period when the calculation was made (0: nothing submitted), sent as
   * `replacesVersion`: if someone resubmitted since, the server refuses rather than silently replacing their work.
   * undefined when the calculation was made signed out (then the version read at submission is sent).
   */
  const [basedOn, setBasedOn] = useState<number | undefined>(undefined);
  const [session, setSession] = useState<Session>({ state: "off" });
  const carries = useRef(new Map<string, ReadonlyMap<string, CarryInput> | null>());
  const [remote, setRemote] = useState<PeriodState | null>(null);
  const [details, setDetails] = useState<string[]>([]);
  const [pdf, setPdf] = useState<{ url: string; name: string; bytes: number } | null>(null);
  const calcRef = useRef<CalculateOutcome | null>(null);
  calcRef.current = calc;

  useEffect(() => {
    // Browser tests reach the pane's state through this hook only when the page asks for it before loading.
    const w = window as unknown as { __PAIE_TEST_HOOKS__?: boolean; __paie?: unknown };
    if (w.__PAIE_TEST_HOOKS__) w.__paie = { calc: () => calcRef.current };
  }, []);

  const connect = useCallback(
    async (interactive: boolean) => {
      if (!cloud) return;
      setSession({ state: "connecting" });
      try {
        await cloud.auth.getToken({ interactive });
        const companies = await cloud.api.companies();
        const chosen = companies.find((c) => c.id === cloud.config.companyId) ?? companies[0];
        if (!chosen) {
          setSession({ state: "off", error: "Aucune société accessible avec ce compte." });
          return;
        }
        const company = await cloud.api.company(chosen.id);
        carries.current.clear();
        setSession({ state: "on", user: cloud.auth.user() ?? "", companies, company });
      } catch (e) {
        setSession({ state: "off", error: e instanceof ApiFailure ? e.message : authErrorMessage(e) });
      }
    },
    [cloud],
  );
  useEffect(() => {
    void connect(false);
  }, [connect]);

  const chooseCompany = (id: string) =>
    run(async () => {
      if (!cloud || session.state !== "on") return;
      const company = await cloud.api.company(id);
      carries.current.clear();
      setRemote(null);
      setBasedOn(undefined);
      setSession({ ...session, company });
    });

  /** The server's company settings and last month's carries when signed in; the workbook's otherwise. */
  const monthContext = async (p: string): Promise<{ month: MonthContext; carrySource: string }> => {
    if (!cloud || session.state !== "on") return { month: {}, carrySource: "" };
    const { company } = session;
    const prev = previousPeriod(p);
    if (!carries.current.has(prev)) carries.current.set(prev, await cloud.api.carry(company.id, prev));
    const fromServer = carries.current.get(prev) ?? null;
    const chart = companyChart(company);
    const month: MonthContext = {
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

  const run = async (fn: () => Promise<void>) => {
    if (!isPeriod(period)) {
      setMessage({ intent: "error", text: "Période invalide : saisissez AAAA-MM, par exemple 2025-03." });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      await fn();
    } catch (e) {
      setMessage({ intent: "error", text: e instanceof ApiFailure ? e.message : officeErrorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const prepare = () =>
    run(async () => {
      const out = await host.prepare(period);
      const { carrySource } = await monthContext(period);
      const parts = [
        out.created.length ? `Créé : ${out.created.join(", ")}.` : "",
        out.repaired.length ? `Réparé : ${out.repaired.join(", ")}.` : "",
        out.prefilledFrom ? `${out.rows} ligne(s) reprise(s) de « ${out.prefilledFrom} ».` : "",
        carrySource,
      ].filter(Boolean);
      setMessage({ intent: "success", text: parts.length ? parts.join(" ") : "Les feuilles du mois sont déjà prêtes." });
    });
  const validate = () =>
    run(async () => {
      const out = await host.validate(period, (await monthContext(period)).month);
      setIssues(out.build.issues);
      const errors = out.build.issues.filter((i) => i.severity === "error").length;
      setMessage(
        errors
          ? { intent: "error", text: `${errors} erreur(s) à corriger. Cliquez sur une ligne pour aller à la cellule.` }
          : { intent: "success", text: `Aucune erreur : ${out.build.inputs.length} salarié(s) prêt(s) pour le calcul.` },
      );
    });
  const calculate = () =>
    run(async () => {
      // Read before calculating, so a submission that lands during the calculation is caught at submission.
      const seen = cloud && session.state === "on" ? await cloud.api.period(session.company.id, period) : undefined;
      const out = await host.calculate(period, (await monthContext(period)).month);
      setBasedOn(seen === undefined ? undefined : (seen?.period.version ?? 0));
      if (seen) setRemote(seen);
      setIssues(out.build.issues);
      setCalc(out);
      setCalcPeriod(period);
      setPdf(null);
      setEmployee(out.results[0]?.result.employeeId ?? "");
      if (out.written) {
        setMessage({ intent: "success", text: `${out.results.length} bulletin(s) calculé(s) et écrits dans « Bulletins ${period} ».` });
        setStep("preview");
      } else setMessage({ intent: "error", text: "Calcul impossible : corrigez d'abord les erreurs listées." });
    });

  const grouped = useMemo(() => {
    const map = new Map<string, SheetIssue[]>();
    for (const i of issues ?? []) map.set(i.sheet, [...(map.get(i.sheet) ?? []), i]);
    return [...map];
  }, [issues]);
  const chosen = calc?.results.find((r) => r.result.employeeId === employee);
  const companyId = session.state === "on" ? session.company.id : "";

  useEffect(
    () => () => {
      if (pdf) URL.revokeObjectURL(pdf.url);
    },
    [pdf],
  );
  const previewPdf = () =>
    run(async () => {
      const input = calc?.build.inputs.find((i) => i.employee.id === employee);
      if (!chosen || !input) return;
      const { payslipPdf } = await import(/* webpackChunkName: "pdf" */ "../preview/payslip-pdf.ts");
      const bytes = await payslipPdf(chosen.result, input.employee, session.state === "on" ? companyInfo(session.company) : OFFLINE_COMPANY);
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/pdf" }));
      setPdf({ url, name: `Bulletin-${employee}-${calcPeriod}.pdf`, bytes: bytes.length });
    });

  const refresh = useCallback(async () => {
    if (!cloud || !companyId || !isPeriod(period)) return;
    try {
      setRemote(await cloud.api.period(companyId, period));
    } catch (e) {
      setMessage({ intent: "error", text: e instanceof ApiFailure ? e.message : String(e) });
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
      setDetails([]);
      if (!cloud || session.state !== "on") {
        setMessage({ intent: "error", text: "Connectez-vous d'abord au serveur de paie." });
        return;
      }
      if (!calc?.written || calcPeriod !== period) {
        setMessage({ intent: "error", text: `Calculez d'abord les bulletins de ${period}.` });
        return;
      }
      try {
        const replacesVersion = basedOn ?? (await cloud.api.period(companyId, period))?.period.version ?? 0;
        const out = await cloud.api.submit(companyId, {
          period,
          inputs: calc.build.inputs,
          results: calc.results.map((r) => summarise(r.result)),
          employees: calc.build.staff,
          replacesVersion,
        });
        // What is stored is now this calculation: submitting it again is a no-op, not a stale resubmission.
        setBasedOn(out.version);
        setMessage({
          intent: "success",
          text: out.written
            ? `Période ${period} soumise : version ${out.version}, ${out.employees} bulletin(s).`
            : `Période ${period} déjà soumise à l'identique (version ${out.version}) : rien n'a changé.`,
        });
        await refresh();
      } catch (e) {
        // A stale version (STALE_VERSION) is told by the server's message alone: recalculate after reloading.
        if (e instanceof ApiFailure && e.status === 409 && e.code === "RESULTS_DIFFER") {
          const euros2 = (c: unknown) => (typeof c === "number" ? euros(c) : "absent");
          setDetails(
            (e.details as { employeeId: string; field: string; client?: number; server?: number }[])
              .slice(0, 10)
              .map((d) => `${d.employeeId} — ${d.field} : classeur ${euros2(d.client)}, serveur ${euros2(d.server)}`),
          );
        }
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
      {cloud && (
        <div className={s.group} aria-label="Connexion">
          {session.state === "on" && (
            <Text className={s.small}>
              Connecté : {session.user} · {session.company.name}
            </Text>
          )}
          {session.state === "connecting" && <Spinner size="tiny" label="Connexion au serveur de paie…" />}
          {session.state === "off" && (
            <>
              {session.error && <Text className={s.small}>{session.error}</Text>}
              <Button size="small" onClick={() => void connect(true)}>
                {cloud.config.mode === "local" ? "Se connecter au serveur local" : "Se connecter (Microsoft 365)"}
              </Button>
            </>
          )}
          {session.state === "on" && session.companies.length > 1 && (
            <Field label="Société">
              <Dropdown
                value={session.company.name}
                selectedOptions={[session.company.id]}
                onOptionSelect={(_, d) => d.optionValue && chooseCompany(d.optionValue)}
              >
                {session.companies.map((c) => (
                  <Option key={c.id} value={c.id}>
                    {c.name}
                  </Option>
                ))}
              </Dropdown>
            </Field>
          )}
        </div>
      )}
      <Field label="Période (AAAA-MM)">
        <Input value={period} onChange={(_, d) => setPeriod(d.value.trim())} aria-label="Période" />
      </Field>
      <TabList selectedValue={step} onTabSelect={(_, d) => setStep(d.value as Step)} size="small">
        {STEPS.map((t) => (
          <Tab key={t.id} value={t.id}>
            {t.label}
          </Tab>
        ))}
      </TabList>
      {busy && <Spinner size="tiny" label="Traitement en cours…" />}
      {message && (
        <MessageBar intent={message.intent} role="status">
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      )}

      {step === "prepare" && (
        <div className={s.group}>
          <Text>
            Crée ou répare les feuilles « Salariés », « Variables {period} », « Lignes {period} » et « Absences {period} » (listes, formats, en-tête figé). Un
            nouveau mois reprend les salariés du mois précédent.
          </Text>
          <Button appearance="primary" disabled={busy} onClick={prepare}>
            Préparer le mois
          </Button>
        </div>
      )}
      {(step === "validate" || step === "calculate") && (
        <div className={s.group}>
          {step === "validate" ? (
            <Button appearance="primary" disabled={busy} onClick={validate}>
              Valider le classeur
            </Button>
          ) : (
            <Button appearance="primary" disabled={busy} onClick={calculate}>
              Calculer les bulletins
            </Button>
          )}
          {issues && issues.length === 0 && <Text>Aucune remarque.</Text>}
          {grouped.map(([sheet, list]) => (
            <section key={sheet} className={s.group} aria-label={`Feuille ${sheet}`}>
              <Text weight="semibold">
                {sheet} — {list.length} point(s)
              </Text>
              {list.map((i, k) => (
                <Button
                  key={k}
                  className={s.issue}
                  appearance="subtle"
                  disabled={!i.address}
                  onClick={() => run(() => host.select(i.sheet, i.address))}
                  data-testid="issue"
                >
                  <span>
                    <Badge color={SEVERITY[i.severity].color} appearance="tint">
                      {SEVERITY[i.severity].label}
                    </Badge>{" "}
                    {i.address ? <strong>{i.address}</strong> : null} {i.message}
                  </span>
                </Button>
              ))}
            </section>
          ))}
        </div>
      )}
      {step === "preview" && (
        <div className={s.group}>
          {!calc?.written && <Text>Calculez d'abord les bulletins.</Text>}
          {calc?.written && (
            <>
              <div className={s.totals} aria-label="Totaux">
                <Text>Salariés</Text>
                <Text>{calc.totals.employees}</Text>
                <Text>Brut</Text>
                <Text>{euros(calc.totals.gross)}</Text>
                <Text>Cotisations salariales</Text>
                <Text>{euros(calc.totals.employeeTotal)}</Text>
                <Text>Cotisations patronales</Text>
                <Text>{euros(calc.totals.employerTotal)}</Text>
                <Text>Net payé</Text>
                <Text>{euros(calc.totals.netPaid)}</Text>
                <Text>Coût employeur</Text>
                <Text>{euros(calc.totals.employerCost)}</Text>
              </div>
              <Field label="Salarié">
                <Dropdown
                  value={chosen ? `${employee} ${chosen.lastName ?? ""}` : ""}
                  selectedOptions={[employee]}
                  onOptionSelect={(_, d) => setEmployee(d.optionValue ?? "")}
                >
                  {calc.results.map((r) => (
                    <Option key={r.result.employeeId} value={r.result.employeeId}>{`${r.result.employeeId} ${r.lastName ?? ""} ${r.firstName ?? ""}`}</Option>
                  ))}
                </Dropdown>
              </Field>
              {chosen && (
                <div aria-label="Bulletin">
                  {[...chosen.result.lines, ...chosen.result.netAdditions, ...chosen.result.afterNet].map((l, k) => (
                    <div key={`l${k}`} className={s.line}>
                      <Text weight="semibold">
                        {l.code} {l.label}
                      </Text>{" "}
                      <Text>{euros(l.amount)}</Text>
                      <div className={s.small}>{l.explanation}</div>
                    </div>
                  ))}
                  {chosen.result.contributions.map((c, k) => (
                    <div key={`c${k}`} className={s.line}>
                      <Text weight="semibold">
                        {c.code} {c.label}
                      </Text>{" "}
                      <Text>
                        {euros(c.employeeAmount ?? 0)} / {euros(c.employerAmount ?? 0)}
                      </Text>
                      <div className={s.small}>{c.explanation}</div>
                    </div>
                  ))}
                  <Text weight="semibold">Net payé : {euros(chosen.result.netPaid)}</Text>
                </div>
              )}
              <Button disabled={busy || !chosen} onClick={previewPdf}>
                Aperçu PDF du bulletin
              </Button>
              {pdf && (
                <div className={s.group}>
                  <iframe
                    title="Bulletin PDF"
                    src={pdf.url}
                    data-testid="pdf-frame"
                    data-bytes={pdf.bytes}
                    style={{ width: "100%", height: "480px", border: `1px solid ${tokens.colorNeutralStroke2}` }}
                  />
                  <Button as="a" href={pdf.url} download={pdf.name}>
                    Télécharger le PDF
                  </Button>
                </div>
              )}
            </>
          )}
        </div>
      )}
      {step === "submit" && (
        <div className={s.group}>
          {!cloud || session.state !== "on" ? (
            <Text>Connectez-vous au serveur de paie pour soumettre la période.</Text>
          ) : (
            <Text>Envoie les variables de {period} et les montants calculés au serveur de paie, qui les recalcule avant de les enregistrer.</Text>
          )}
          <Button appearance="primary" disabled={busy || session.state !== "on"} onClick={submit}>
            Soumettre la période
          </Button>
          {details.length > 0 && (
            <ul aria-label="Écarts" className={s.small}>
              {details.map((d, k) => (
                <li key={k}>{d}</li>
              ))}
            </ul>
          )}
          {session.state === "on" && (
            <section aria-label="État de la période" className={s.group}>
              <Button size="small" appearance="subtle" disabled={busy} onClick={() => void refresh()}>
                Actualiser l'état
              </Button>
              {!remote && <Text>Rien n'a encore été soumis pour {period}.</Text>}
              {remote && (
                <>
                  <Text>Statut : {STATUS_FR[remote.period.status] ?? remote.period.status}</Text>
                  <Text>
                    Version {remote.period.version} · {remote.payslips.length} bulletin(s)
                  </Text>
                  <Text>Documents : {remote.documents.length ? `${remote.documents.length} généré(s)` : "pas encore générés (jour de paie)"}</Text>
                  <Text>
                    Courriels : {remote.mails.counts.sent ?? 0} envoyé(s), {remote.mails.counts.failed ?? 0} en échec,{" "}
                    {(remote.mails.counts.pending ?? 0) + (remote.mails.counts.sending ?? 0)} en attente
                  </Text>
                  {remote.documents.map((d) => {
                    const file = d.path.split("/").pop() ?? d.path;
                    return (
                      <Button key={d.path} size="small" appearance="subtle" className={s.issue} data-testid="document" onClick={() => download(d.url, file)}>
                        {DOC_FR[d.kind] ?? d.kind} — {file}
                      </Button>
                    );
                  })}
                </>
              )}
            </section>
          )}
        </div>
      )}
    </div>
  );
}
