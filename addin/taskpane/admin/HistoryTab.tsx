/** « Historique »: every parameter change, newest first — who, when, before → after, reference. */
import { Caption1, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from "@fluentui/react-components";
import type { AuditEntry } from "../../../shared/api/audit.ts";
import type { ParameterFile } from "../../../shared/rates/parameters.ts";
import { historyLines } from "./history-lines.ts";

export function HistoryTab({ entries, files }: { entries: readonly AuditEntry[] | null; files: ReadonlyMap<string, ParameterFile> }) {
  if (entries === null) return <Caption1>Chargement de l'historique…</Caption1>;
  if (entries.length === 0) return <Caption1>Aucune modification des paramètres pour l'instant.</Caption1>;
  return (
    <Table size="extra-small" aria-label="Historique des paramètres">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Quand</TableHeaderCell>
          <TableHeaderCell>Qui</TableHeaderCell>
          <TableHeaderCell>Quoi</TableHeaderCell>
          <TableHeaderCell>Avant → après</TableHeaderCell>
          <TableHeaderCell>Référence</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {historyLines(entries, files).map((l) => (
          <TableRow key={l.key}>
            <TableCell>{l.when}</TableCell>
            <TableCell>{l.who}</TableCell>
            <TableCell>{l.what}</TableCell>
            <TableCell>{l.change}</TableCell>
            <TableCell>{l.reference}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
