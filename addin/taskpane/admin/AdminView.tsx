/**
 * The task pane's « Administration » view (Payroll.Admin only — the pane hides it from operators, the server refuses
 * them anyway). Its own reducer (admin-state.ts); this component talks to the server and dispatches what it answered.
 * After a stored value, the pane's calculation set is reloaded (App's loadParameters, parameters.ts) so the version
 * shown here and the one the next calculation uses are the server's new one.
 */
import { MessageBar, MessageBarBody, Tab, TabList } from "@fluentui/react-components";
import { useCallback, useEffect, useReducer } from "react";
import { type Api, ApiFailure } from "../../api/client.ts";
import type { LoadedParameters } from "../parameters.ts";
import { usePaneStyles } from "../styles.ts";
import { ADMIN_TABS, type AdminTab, adminReducer, formBody, initialAdminState } from "./admin-state.ts";
import { HistoryTab } from "./HistoryTab.tsx";
import { ParametersTab } from "./ParametersTab.tsx";

const failureText = (e: unknown) => (e instanceof ApiFailure ? e.message : String(e));

export function AdminView(props: { api: Api; parameters: LoadedParameters; today: string; onParametersChanged: () => Promise<LoadedParameters> }) {
  const { api, parameters, today, onParametersChanged } = props;
  const s = usePaneStyles();
  const [state, dispatch] = useReducer(adminReducer, undefined, initialAdminState);

  const loadHistory = useCallback(async () => {
    try {
      dispatch({ type: "history", entries: await api.parameterHistory() });
    } catch (e) {
      dispatch({ type: "failed", text: failureText(e) });
    }
  }, [api]);
  useEffect(() => {
    if (state.tab === "history" && state.history === null) void loadHistory();
  }, [state.tab, state.history, loadHistory]);

  const save = async () => {
    const unit = parameters.set.files.get(state.form.parameter)?.unit ?? "eur";
    const out = formBody(state.form, unit);
    if (!out.ok) {
      dispatch({ type: "invalid", errors: out.errors });
      return;
    }
    dispatch({ type: "started" });
    try {
      const outcome = await api.putParameter(out.body);
      await onParametersChanged();
      dispatch({ type: "saved", outcome });
    } catch (e) {
      if (e instanceof ApiFailure && (e.status === 422 || e.status === 400))
        dispatch({ type: "refused", message: e.message, issues: e.details as { code?: string; path?: string; message?: string }[] });
      else dispatch({ type: "failed", text: failureText(e) });
    }
  };

  return (
    <section className={s.group} aria-label="Administration">
      <TabList selectedValue={state.tab} onTabSelect={(_, d) => dispatch({ type: "tab", tab: d.value as AdminTab })} size="small">
        {ADMIN_TABS.map((t) => (
          <Tab key={t.id} value={t.id}>
            {t.label}
          </Tab>
        ))}
      </TabList>
      {state.message && (
        <MessageBar intent={state.message.intent} role="alert" aria-label="Message d'administration">
          <MessageBarBody>{state.message.text}</MessageBarBody>
        </MessageBar>
      )}
      {state.tab === "parameters" && <ParametersTab state={state} parameters={parameters} today={today} dispatch={dispatch} onSave={() => void save()} />}
      {state.tab === "history" && <HistoryTab entries={state.history} files={parameters.set.files} />}
    </section>
  );
}
