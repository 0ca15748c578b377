/** Step 3: compute every payslip with the engine and write the result sheets (refused while errors remain). */
import { Button } from "@fluentui/react-components";
import type { SheetIssue } from "../../workbook/table.ts";
import { usePaneStyles } from "../styles.ts";
import { IssueList } from "./IssueList.tsx";

export function CalculateStep({
  busy,
  issues,
  onCalculate,
  onSelect,
}: {
  busy: boolean;
  issues: SheetIssue[] | null;
  onCalculate: () => void;
  onSelect: (issue: SheetIssue) => void;
}) {
  const s = usePaneStyles();
  return (
    <div className={s.group}>
      <Button appearance="primary" disabled={busy} onClick={onCalculate}>
        Calculer les bulletins
      </Button>
      <IssueList issues={issues} onSelect={onSelect} />
    </div>
  );
}
