/**
 * The form to add a dated value: parameter, month, value, status, reference (title + link or document), note, and
 * the confirmation checkbox once the server asked for one. Each server refusal sits on its field.
 */
import { Button, Checkbox, Field, Input, MessageBar, MessageBarBody, Select, Textarea } from "@fluentui/react-components";
import type { LoadedParameters } from "../parameters.ts";
import { usePaneStyles } from "../styles.ts";
import type { AdminAction, AdminState, ParameterForm as Form, FormField } from "./admin-state.ts";
import { ENTERABLE_STATUSES } from "./parameter-rows.ts";

const UNIT_HINT: Record<string, string> = {
  eur: "en euros, ex. 9 900",
  percent: "en %, ex. 6,85",
  eur_per_hour: "en €/h, ex. 12,02",
  hours: "en heures",
  days: "en jours",
  code: "un code",
};

export function ParameterForm(props: { state: AdminState; parameters: LoadedParameters; dispatch: (a: AdminAction) => void; onSave: () => void }) {
  const { state, parameters, dispatch, onSave } = props;
  const s = usePaneStyles();
  const { form, errors, busy } = state;
  const files = [...parameters.set.files.values()].sort((a, b) => a.description.localeCompare(b.description, "fr"));
  const unit = parameters.set.files.get(form.parameter)?.unit ?? "eur";
  const err = (f: FormField) => (errors[f] ? { validationState: "error" as const, validationMessage: errors[f] } : {});
  const text = (field: Exclude<keyof Form, "confirm" | "status" | "parameter">, label: string, hint?: string) => (
    <Field label={label} {...err(field === "month" ? "month" : field)} {...(hint ? { hint } : {})}>
      <Input value={form[field]} disabled={busy} onChange={(_, d) => dispatch({ type: "edit", field, value: d.value })} />
    </Field>
  );
  return (
    <form
      className={s.group}
      aria-label="Nouvelle valeur datée"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <Field label="Paramètre" {...err("parameter")}>
        <Select value={form.parameter} disabled={busy} onChange={(_, d) => dispatch({ type: "edit", field: "parameter", value: d.value })}>
          {files.map((f) => (
            <option key={f.id} value={f.id}>
              {f.description}
            </option>
          ))}
        </Select>
      </Field>
      {text("month", "Valable à partir de (AAAA-MM)")}
      {text("value", "Valeur", UNIT_HINT[unit])}
      {state.confirmAsked && (
        <Checkbox
          label="Je confirme cette valeur"
          checked={form.confirm}
          disabled={busy}
          onChange={(_, d) => dispatch({ type: "confirm", checked: d.checked === true })}
        />
      )}
      <Field label="Statut" {...err("status")}>
        <Select value={form.status} disabled={busy} onChange={(_, d) => dispatch({ type: "edit", field: "status", value: d.value })}>
          {ENTERABLE_STATUSES.map((st) => (
            <option key={st.id} value={st.id}>
              {st.label}
            </option>
          ))}
        </Select>
      </Field>
      {text("title", "Référence — titre", "ex. Circulaire CSM du 15/09/2026")}
      {text("href", "Référence — lien (https://…)")}
      {text("document", "Référence — document", "si pas de lien : n° de circulaire, article…")}
      <Field label="Note interne (jamais montrée comme source)" {...err("note")}>
        <Textarea value={form.note} disabled={busy} onChange={(_, d) => dispatch({ type: "edit", field: "note", value: d.value })} />
      </Field>
      {errors.form && (
        <MessageBar intent="error">
          <MessageBarBody>{errors.form}</MessageBarBody>
        </MessageBar>
      )}
      <Button appearance="primary" type="submit" disabled={busy}>
        Enregistrer la valeur
      </Button>
    </form>
  );
}
