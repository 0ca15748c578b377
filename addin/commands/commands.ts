/// <reference types="office-js" />
/**
 * Ribbon commands. With the shared runtime they run in the pane's page, so they reuse the same code and report
 * through the pane's state when it is open.
 */
import { isoDate } from "../../shared/core/period.ts";
import { host, officeErrorMessage } from "../excel/host.ts";

export function currentPeriod(now = new Date()): string {
  // The accountant's local month (not UTC): the period she is paying.
  return isoDate(now.getFullYear(), now.getMonth() + 1, 1).slice(0, 7);
}

type Listener = (event: { kind: "validate" | "calculate"; ok: boolean; message: string }) => void;
const listeners = new Set<Listener>();
export function onCommand(l: Listener) {
  listeners.add(l);
  return () => listeners.delete(l);
}

async function runCommand(kind: "validate" | "calculate", event?: Office.AddinCommands.Event) {
  try {
    const period = currentPeriod();
    if (kind === "validate") {
      const out = await host.validate(period);
      const errors = out.build.issues.filter((i) => i.severity === "error").length;
      for (const l of listeners) l({ kind, ok: errors === 0, message: errors === 0 ? "Aucune erreur." : `${errors} erreur(s) marquée(s) dans le classeur.` });
    } else {
      const out = await host.calculate(period);
      for (const l of listeners)
        l({
          kind,
          ok: out.written,
          message: out.written ? `${out.results.length} bulletin(s) calculé(s).` : "Calcul impossible : corrigez les erreurs marquées.",
        });
    }
  } catch (error) {
    for (const l of listeners) l({ kind, ok: false, message: officeErrorMessage(error) });
  } finally {
    event?.completed();
  }
}

export function registerCommands() {
  Office.actions.associate("validateWorkbook", (event: Office.AddinCommands.Event) => runCommand("validate", event));
  Office.actions.associate("calculateWorkbook", (event: Office.AddinCommands.Event) => runCommand("calculate", event));
}
