/** The parameter set the pane computes with (version, date, where it came from) and the way to reload it. */
import { Button, Caption1, MessageBar, MessageBarBody } from "@fluentui/react-components";
import type { LoadedParameters } from "../parameters.ts";
import { parametersLine } from "../state.ts";

export function ParametersBar(props: { parameters: LoadedParameters; error: string | null; refused: boolean; busy: boolean; onReload: () => void }) {
  const { parameters, error, refused, busy, onReload } = props;
  return (
    <div>
      <Caption1 aria-label="Version des paramètres">{parametersLine(parameters)}</Caption1>
      {parameters.serverVersion && (
        <MessageBar intent="warning">
          <MessageBarBody>
            Le serveur applique la version {parameters.serverVersion}, bâtie sur d'autres fichiers de référence : mettez à jour le complément.
          </MessageBarBody>
        </MessageBar>
      )}
      {error && (
        <MessageBar intent="warning">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {refused && (
        <Button appearance="primary" disabled={busy} onClick={onReload}>
          Actualiser les paramètres
        </Button>
      )}
    </div>
  );
}
