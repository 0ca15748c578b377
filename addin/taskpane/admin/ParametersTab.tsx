/** « Paramètres »: the set in force (version, date), its parameters as a table, and the form to add a dated value. */
import { Button, Caption1, Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from "@fluentui/react-components";
import { formatDate } from "../../../shared/core/format.ts";
import type { LoadedParameters } from "../parameters.ts";
import { usePaneStyles } from "../styles.ts";
import type { AdminAction, AdminState } from "./admin-state.ts";
import { ParameterForm } from "./ParameterForm.tsx";
import { type ParameterRow, parameterRows } from "./parameter-rows.ts";

export function ParametersTab(props: {
  state: AdminState;
  parameters: LoadedParameters;
  today: string;
  dispatch: (a: AdminAction) => void;
  onSave: () => void;
}) {
  const { state, parameters, today, dispatch, onSave } = props;
  const s = usePaneStyles();
  const rows = parameterRows(parameters.set, today);
  const date = parameters.updatedAt ? ` du ${formatDate(parameters.updatedAt.slice(0, 10))}` : " (valeurs intégrées, aucune saisie)";
  return (
    <section className={s.group} aria-label="Paramètres">
      <Caption1 aria-label="Version du jeu de paramètres">
        Jeu de paramètres {parameters.set.version}
        {date}
      </Caption1>
      <ParameterForm state={state} parameters={parameters} dispatch={dispatch} onSave={onSave} />
      <Table size="extra-small" aria-label="Paramètres en vigueur">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Paramètre</TableHeaderCell>
            <TableHeaderCell>Valeur</TableHeaderCell>
            <TableHeaderCell>Depuis</TableHeaderCell>
            <TableHeaderCell>Statut</TableHeaderCell>
            <TableHeaderCell>Référence</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <Row key={r.id} row={r} busy={state.busy} onConfirm={() => dispatch({ type: "confirmUnchanged", row: r })} />
          ))}
        </TableBody>
      </Table>
    </section>
  );
}

function Row({ row, busy, onConfirm }: { row: ParameterRow; busy: boolean; onConfirm: () => void }) {
  return (
    <TableRow data-parameter={row.id}>
      <TableCell>{row.label}</TableCell>
      <TableCell>{row.value}</TableCell>
      <TableCell>{row.validFrom}</TableCell>
      <TableCell>
        {row.status}
        {row.stale && (
          <>
            <span title={`connue jusqu'au ${formatDate(row.knownUntil)}`}> — à confirmer </span>
            <Button
              size="small"
              appearance="subtle"
              disabled={busy || row.raw === null}
              onClick={onConfirm}
              aria-label={`Confirmer inchangé pour la période : ${row.label}`}
            >
              Confirmer inchangé
            </Button>
          </>
        )}
      </TableCell>
      <TableCell>
        {row.href ? (
          <Link href={row.href} target="_blank" rel="noreferrer">
            {row.reference}
          </Link>
        ) : (
          row.reference
        )}
      </TableCell>
    </TableRow>
  );
}
