/** Step 4: the month's totals, one employee's payslip line by line with its explanations, and its PDF. */
import { Button, Dropdown, Field, Option, Text } from "@fluentui/react-components";
import type { CalculateOutcome } from "../../excel/operations.ts";
import type { NamedResult, Totals } from "../../workbook/results.ts";
import { euros, keyed, type PdfPreview } from "../state.ts";
import { usePaneStyles } from "../styles.ts";

function MonthTotals({ totals }: { totals: Totals }) {
  const s = usePaneStyles();
  const rows: [string, string][] = [
    ["Salariés", String(totals.employees)],
    ["Brut", euros(totals.gross)],
    ["Cotisations salariales", euros(totals.employeeTotal)],
    ["Cotisations patronales", euros(totals.employerTotal)],
    ["Net payé", euros(totals.netPaid)],
    ["Coût employeur", euros(totals.employerCost)],
  ];
  return (
    <section className={s.totals} aria-label="Totaux">
      {rows.flatMap(([label, value]) => [<Text key={`${label}:label`}>{label}</Text>, <Text key={`${label}:value`}>{value}</Text>])}
    </section>
  );
}

function Payslip({ named }: { named: NamedResult }) {
  const s = usePaneStyles();
  const r = named.result;
  return (
    <section aria-label="Bulletin">
      {keyed([...r.lines, ...r.netAdditions, ...r.afterNet], (l) => `l:${l.code}`).map(({ key, item: l }) => (
        <div key={key} className={s.line}>
          <Text weight="semibold">
            {l.code} {l.label}
          </Text>{" "}
          <Text>{euros(l.amount)}</Text>
          <div className={s.small}>{l.explanation}</div>
        </div>
      ))}
      {keyed(r.contributions, (c) => `c:${c.code}`).map(({ key, item: c }) => (
        <div key={key} className={s.line}>
          <Text weight="semibold">
            {c.code} {c.label}
          </Text>{" "}
          <Text>
            {euros(c.employeeAmount ?? 0)} / {euros(c.employerAmount ?? 0)}
          </Text>
          <div className={s.small}>{c.explanation}</div>
        </div>
      ))}
      <Text weight="semibold">Net payé : {euros(r.netPaid)}</Text>
    </section>
  );
}

export function PreviewStep({
  calc,
  employee,
  busy,
  pdf,
  onEmployee,
  onPdf,
}: {
  calc: CalculateOutcome | null;
  employee: string;
  busy: boolean;
  pdf: PdfPreview | null;
  onEmployee: (id: string) => void;
  onPdf: () => void;
}) {
  const s = usePaneStyles();
  if (!calc?.written)
    return (
      <div className={s.group}>
        <Text>Calculez d'abord les bulletins.</Text>
      </div>
    );
  const chosen = calc.results.find((r) => r.result.employeeId === employee);
  return (
    <div className={s.group}>
      <MonthTotals totals={calc.totals} />
      <Field label="Salarié">
        <Dropdown
          value={chosen ? `${employee} ${chosen.lastName ?? ""}` : ""}
          selectedOptions={[employee]}
          onOptionSelect={(_, d) => onEmployee(d.optionValue ?? "")}
        >
          {calc.results.map((r) => (
            <Option key={r.result.employeeId} value={r.result.employeeId}>{`${r.result.employeeId} ${r.lastName ?? ""} ${r.firstName ?? ""}`}</Option>
          ))}
        </Dropdown>
      </Field>
      {chosen && <Payslip named={chosen} />}
      <Button disabled={busy || !chosen} onClick={onPdf}>
        Aperçu PDF du bulletin
      </Button>
      {pdf && (
        <div className={s.group}>
          <iframe title="Bulletin PDF" src={pdf.url} data-testid="pdf-frame" data-bytes={pdf.bytes} className={s.frame} />
          <Button as="a" href={pdf.url} download={pdf.name}>
            Télécharger le PDF
          </Button>
        </div>
      )}
    </div>
  );
}
