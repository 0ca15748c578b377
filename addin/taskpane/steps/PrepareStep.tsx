/** Step 1: create or repair the month's sheets. */
import { Button, Text } from "@fluentui/react-components";
import { usePaneStyles } from "../styles.ts";

export function PrepareStep({ period, busy, onPrepare }: { period: string; busy: boolean; onPrepare: () => void }) {
  const s = usePaneStyles();
  return (
    <div className={s.group}>
      <Text>
        Crée ou répare les feuilles « Salariés », « Variables {period} », « Lignes {period} » et « Absences {period} » (listes, formats, en-tête figé). Un
        nouveau mois reprend les salariés du mois précédent.
      </Text>
      <Button appearance="primary" disabled={busy} onClick={onPrepare}>
        Préparer le mois
      </Button>
    </div>
  );
}
