/** Who is signed in to the payroll server, the sign-in button, and the company chooser when there are several. */
import { Button, Dropdown, Field, Option, Spinner, Text } from "@fluentui/react-components";
import type { Session } from "../state.ts";
import { usePaneStyles } from "../styles.ts";

export function Connection({
  session,
  mode,
  onConnect,
  onChooseCompany,
}: {
  session: Session;
  mode: string;
  onConnect: () => void;
  onChooseCompany: (id: string) => void;
}) {
  const s = usePaneStyles();
  return (
    <section className={s.group} aria-label="Connexion">
      {session.state === "on" && (
        <Text className={s.small}>
          Connecté : {session.user} · {session.company.name}
        </Text>
      )}
      {session.state === "connecting" && <Spinner size="tiny" label="Connexion au serveur de paie…" />}
      {session.state === "off" && (
        <>
          {session.error && <Text className={s.small}>{session.error}</Text>}
          <Button size="small" onClick={onConnect}>
            {mode === "local" ? "Se connecter au serveur local" : "Se connecter (Microsoft 365)"}
          </Button>
        </>
      )}
      {session.state === "on" && session.companies.length > 1 && (
        <Field label="Société">
          <Dropdown
            value={session.company.name}
            selectedOptions={[session.company.id]}
            onOptionSelect={(_, d) => d.optionValue && onChooseCompany(d.optionValue)}
          >
            {session.companies.map((c) => (
              <Option key={c.id} value={c.id}>
                {c.name}
              </Option>
            ))}
          </Dropdown>
        </Field>
      )}
    </section>
  );
}
