/**
 * The task pane: Préparer → Valider → Calculer → Aperçu → Soumettre. All Excel access goes through `host`
 * (injected, so the browser test can run the real UI against a fake workbook).
 */
import { useMemo, useState } from "react";
import {
  Badge, Button, Field, Input, MessageBar, MessageBarBody, Spinner, Tab, TabList, Text, Title3,
  makeStyles, tokens, Dropdown, Option,
} from "@fluentui/react-components";
import type { Host } from "../excel/host.ts";
import { officeErrorMessage } from "../excel/host.ts";
import type { SheetIssue } from "../workbook/table.ts";
import type { CalculateOutcome } from "../excel/operations.ts";
import { isPeriod } from "../workbook/period.ts";

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
  { id: "prepare", label: "Préparer" }, { id: "validate", label: "Valider" }, { id: "calculate", label: "Calculer" },
  { id: "preview", label: "Aperçu" }, { id: "submit", label: "Soumettre" },
];
const SEVERITY = { error: { label: "Erreur", color: "danger" }, warning: { label: "Attention", color: "warning" }, confirm: { label: "À confirmer", color: "informative" } } as const;

const euros = (cents: number) => (cents / 100).toLocaleString("fr-FR", { style: "currency", currency: "EUR" }).replace(/\u202f/g, "\u00a0");

export function App({ host, initialPeriod }: { host: Host; initialPeriod: string }) {
  const s = useStyles();
  const [step, setStep] = useState<Step>("prepare");
  const [period, setPeriod] = useState(initialPeriod);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ intent: "success" | "error" | "info" | "warning"; text: string } | null>(null);
  const [issues, setIssues] = useState<SheetIssue[] | null>(null);
  const [calc, setCalc] = useState<CalculateOutcome | null>(null);
  const [employee, setEmployee] = useState<string>("");

  const run = async (fn: () => Promise<void>) => {
    if (!isPeriod(period)) { setMessage({ intent: "error", text: "Période invalide : saisissez AAAA-MM, par exemple 2025-03." }); return; }
    setBusy(true);
    setMessage(null);
    try { await fn(); } catch (e) { setMessage({ intent: "error", text: officeErrorMessage(e) }); } finally { setBusy(false); }
  };

  const prepare = () => run(async () => {
    const out = await host.prepare(period);
    const parts = [
      out.created.length ? `Créé : ${out.created.join(", ")}.` : "",
      out.repaired.length ? `Réparé : ${out.repaired.join(", ")}.` : "",
      out.prefilledFrom ? `${out.rows} ligne(s) reprise(s) de « ${out.prefilledFrom} ».` : "",
    ].filter(Boolean);
    setMessage({ intent: "success", text: parts.length ? parts.join(" ") : "Les feuilles du mois sont déjà prêtes." });
  });
  const validate = () => run(async () => {
    const out = await host.validate(period);
    setIssues(out.build.issues);
    const errors = out.build.issues.filter((i) => i.severity === "error").length;
    setMessage(errors ? { intent: "error", text: `${errors} erreur(s) à corriger. Cliquez sur une ligne pour aller à la cellule.` } : { intent: "success", text: `Aucune erreur : ${out.build.inputs.length} salarié(s) prêt(s) pour le calcul.` });
  });
  const calculate = () => run(async () => {
    const out = await host.calculate(period);
    setIssues(out.build.issues);
    setCalc(out);
    setEmployee(out.results[0]?.result.employeeId ?? "");
    if (out.written) { setMessage({ intent: "success", text: `${out.results.length} bulletin(s) calculé(s) et écrits dans « Bulletins ${period} ».` }); setStep("preview"); }
    else setMessage({ intent: "error", text: "Calcul impossible : corrigez d'abord les erreurs listées." });
  });

  const grouped = useMemo(() => {
    const map = new Map<string, SheetIssue[]>();
    for (const i of issues ?? []) map.set(i.sheet, [...(map.get(i.sheet) ?? []), i]);
    return [...map];
  }, [issues]);
  const chosen = calc?.results.find((r) => r.result.employeeId === employee);

  return (
    <div className={s.root}>
      <Title3>Paie Monaco</Title3>
      <Field label="Période (AAAA-MM)">
        <Input value={period} onChange={(_, d) => setPeriod(d.value.trim())} aria-label="Période" />
      </Field>
      <TabList selectedValue={step} onTabSelect={(_, d) => setStep(d.value as Step)} size="small">
        {STEPS.map((t) => <Tab key={t.id} value={t.id}>{t.label}</Tab>)}
      </TabList>
      {busy && <Spinner size="tiny" label="Traitement en cours…" />}
      {message && <MessageBar intent={message.intent} role="status"><MessageBarBody>{message.text}</MessageBarBody></MessageBar>}

      {step === "prepare" && (
        <div className={s.group}>
          <Text>Crée ou répare les feuilles « Salariés », « Variables {period} » et « Lignes {period} » (listes, formats, en-tête figé). Un nouveau mois reprend les salariés du mois précédent.</Text>
          <Button appearance="primary" disabled={busy} onClick={prepare}>Préparer le mois</Button>
        </div>
      )}
      {(step === "validate" || step === "calculate") && (
        <div className={s.group}>
          {step === "validate"
            ? <Button appearance="primary" disabled={busy} onClick={validate}>Valider le classeur</Button>
            : <Button appearance="primary" disabled={busy} onClick={calculate}>Calculer les bulletins</Button>}
          {issues && issues.length === 0 && <Text>Aucune remarque.</Text>}
          {grouped.map(([sheet, list]) => (
            <section key={sheet} className={s.group} aria-label={`Feuille ${sheet}`}>
              <Text weight="semibold">{sheet} — {list.length} point(s)</Text>
              {list.map((i, k) => (
                <Button key={k} className={s.issue} appearance="subtle" disabled={!i.address}
                  onClick={() => run(() => host.select(i.sheet, i.address))}
                  data-testid="issue">
                  <span><Badge color={SEVERITY[i.severity].color} appearance="tint">{SEVERITY[i.severity].label}</Badge>{" "}
                    {i.address ? <strong>{i.address}</strong> : null} {i.message}</span>
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
                <Text>Salariés</Text><Text>{calc.totals.employees}</Text>
                <Text>Brut</Text><Text>{euros(calc.totals.gross)}</Text>
                <Text>Cotisations salariales</Text><Text>{euros(calc.totals.employeeTotal)}</Text>
                <Text>Cotisations patronales</Text><Text>{euros(calc.totals.employerTotal)}</Text>
                <Text>Net payé</Text><Text>{euros(calc.totals.netPaid)}</Text>
                <Text>Coût employeur</Text><Text>{euros(calc.totals.employerCost)}</Text>
              </div>
              <Field label="Salarié">
                <Dropdown value={chosen ? `${employee} ${chosen.lastName ?? ""}` : ""} selectedOptions={[employee]} onOptionSelect={(_, d) => setEmployee(d.optionValue ?? "")}>
                  {calc.results.map((r) => <Option key={r.result.employeeId} value={r.result.employeeId}>{`${r.result.employeeId} ${r.lastName ?? ""} ${r.firstName ?? ""}`}</Option>)}
                </Dropdown>
              </Field>
              {chosen && (
                <div aria-label="Bulletin">
                  {[...chosen.result.lines, ...chosen.result.netAdditions, ...chosen.result.afterNet].map((l, k) => (
                    <div key={`l${k}`} className={s.line}><Text weight="semibold">{l.code} {l.label}</Text> <Text>{euros(l.amount)}</Text><div className={s.small}>{l.explanation}</div></div>
                  ))}
                  {chosen.result.contributions.map((c, k) => (
                    <div key={`c${k}`} className={s.line}><Text weight="semibold">{c.code} {c.label}</Text> <Text>{euros(c.employeeAmount ?? 0)} / {euros(c.employerAmount ?? 0)}</Text><div className={s.small}>{c.explanation}</div></div>
                  ))}
                  <Text weight="semibold">Net payé : {euros(chosen.result.netPaid)}</Text>
                </div>
              )}
            </>
          )}
        </div>
      )}
      {step === "submit" && <Text>La soumission (connexion Microsoft 365 puis envoi au serveur) arrive dans une prochaine version.</Text>}
    </div>
  );
}
