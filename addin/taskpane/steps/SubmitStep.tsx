/** Step 5: send the month to the payroll server, show what it refused, then follow the period there. */
import { Button, Text } from "@fluentui/react-components";
import type { PeriodState } from "../../api/client.ts";
import { usePaneStyles } from "../styles.ts";
import { PeriodStatus } from "./PeriodStatus.tsx";

export function SubmitStep({
  signedIn,
  period,
  busy,
  details,
  remote,
  onSubmit,
  onRefresh,
  onDownload,
}: {
  signedIn: boolean;
  period: string;
  busy: boolean;
  details: string[];
  remote: PeriodState | null;
  onSubmit: () => void;
  onRefresh: () => void;
  onDownload: (url: string, name: string) => void;
}) {
  const s = usePaneStyles();
  return (
    <div className={s.group}>
      {signedIn ? (
        <Text>Envoie les variables de {period} et les montants calculés au serveur de paie, qui les recalcule avant de les enregistrer.</Text>
      ) : (
        <Text>Connectez-vous au serveur de paie pour soumettre la période.</Text>
      )}
      <Button appearance="primary" disabled={busy || !signedIn} onClick={onSubmit}>
        Soumettre la période
      </Button>
      {details.length > 0 && (
        <ul aria-label="Écarts" className={s.small}>
          {details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      {signedIn && <PeriodStatus period={period} busy={busy} remote={remote} onRefresh={onRefresh} onDownload={onDownload} />}
    </div>
  );
}
