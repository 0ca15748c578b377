/** The workbook's issues by sheet; a click on one selects its cell in Excel. */
import { Badge, Button, Text } from "@fluentui/react-components";
import type { SheetIssue } from "../../workbook/table.ts";
import { issuesBySheet, keyed } from "../state.ts";
import { usePaneStyles } from "../styles.ts";

const SEVERITY = {
  error: { label: "Erreur", color: "danger" },
  warning: { label: "Attention", color: "warning" },
  confirm: { label: "À confirmer", color: "informative" },
} as const;

export function IssueList({ issues, onSelect }: { issues: SheetIssue[] | null; onSelect: (issue: SheetIssue) => void }) {
  const s = usePaneStyles();
  return (
    <>
      {issues && issues.length === 0 && <Text>Aucune remarque.</Text>}
      {issuesBySheet(issues).map(([sheet, list]) => (
        <section key={sheet} className={s.group} aria-label={`Feuille ${sheet}`}>
          <Text weight="semibold">
            {sheet} — {list.length} point(s)
          </Text>
          {keyed(list, (i) => `${i.address}|${i.code}|${i.message}`).map(({ key, item: i }) => (
            <Button key={key} className={s.issue} appearance="subtle" disabled={!i.address} onClick={() => onSelect(i)} data-testid="issue">
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
    </>
  );
}
