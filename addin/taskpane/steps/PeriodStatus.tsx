/** The period as the server has it: status, version, generated documents (downloadable) and mail counts. */
import { Button, Text } from "@fluentui/react-components";
import type { PeriodState } from "../../api/client.ts";
import { usePaneStyles } from "../styles.ts";

const STATUS_FR: Record<string, string> = {
  draft: "brouillon",
  submitted: "soumise — enregistrée sur le serveur",
  generated: "documents générés",
  mailed: "bulletins envoyés",
  closed: "clôturée",
};
const DOC_FR: Record<string, string> = {
  payslip: "Bulletin",
  journal: "Journal de paie",
  charges: "État des charges",
  provision: "Provision congés payés",
  dsm: "DSM",
};

export function PeriodStatus({
  period,
  busy,
  remote,
  onRefresh,
  onDownload,
}: {
  period: string;
  busy: boolean;
  remote: PeriodState | null;
  onRefresh: () => void;
  onDownload: (url: string, name: string) => void;
}) {
  const s = usePaneStyles();
  const counts = remote?.mails.counts ?? {};
  return (
    <section aria-label="État de la période" className={s.group}>
      <Button size="small" appearance="subtle" disabled={busy} onClick={onRefresh}>
        Actualiser l'état
      </Button>
      {!remote && <Text>Rien n'a encore été soumis pour {period}.</Text>}
      {remote && (
        <>
          <Text>Statut : {STATUS_FR[remote.period.status] ?? remote.period.status}</Text>
          <Text>
            Version {remote.period.version} · {remote.payslips.length} bulletin(s)
          </Text>
          <Text>Documents : {remote.documents.length ? `${remote.documents.length} généré(s)` : "pas encore générés (jour de paie)"}</Text>
          <Text>
            Courriels : {counts.sent ?? 0} envoyé(s), {counts.failed ?? 0} en échec, {(counts.pending ?? 0) + (counts.sending ?? 0)} en attente
          </Text>
          {remote.documents.map((d) => {
            const file = d.path.split("/").pop() ?? d.path;
            return (
              <Button key={d.path} size="small" appearance="subtle" className={s.issue} data-testid="document" onClick={() => onDownload(d.url, file)}>
                {DOC_FR[d.kind] ?? d.kind} — {file}
              </Button>
            );
          })}
        </>
      )}
    </section>
  );
}
