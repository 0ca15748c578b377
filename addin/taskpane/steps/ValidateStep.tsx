/** Step 2: read the workbook and list what must be fixed before the calculation. */
import { Button } from "@fluentui/react-components";
import type { SheetIssue } from "../../workbook/table.ts";
import { usePaneStyles } from "../styles.ts";
import { IssueList } from "./IssueList.tsx";

export function ValidateStep({
  busy,
  issues,
  onValidate,
  onSelect,
}: {
  busy: boolean;
  issues: SheetIssue[] | null;
  onValidate: () => void;
  onSelect: (issue: SheetIssue) => void;
}) {
  const s = usePaneStyles();
  return (
    <div className={s.group}>
      <Button appearance="primary" disabled={busy} onClick={onValidate}>
        Valider le classeur
      </Button>
      <IssueList issues={issues} onSelect={onSelect} />
    </div>
  );
}
