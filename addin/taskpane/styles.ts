/** The pane's styles, shared by App and its step components. */
import { makeStyles, tokens } from "@fluentui/react-components";

export const usePaneStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: "12px", padding: "12px" },
  group: { display: "flex", flexDirection: "column", gap: "4px" },
  issue: { textAlign: "left", justifyContent: "flex-start", whiteSpace: "normal", height: "auto", paddingTop: "4px", paddingBottom: "4px" },
  totals: { display: "grid", gridTemplateColumns: "1fr auto", gap: "2px 12px" },
  line: { borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, padding: "4px 0" },
  small: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  frame: { width: "100%", height: "480px", border: `1px solid ${tokens.colorNeutralStroke2}` },
});
