/**
 * Fake Office host for browser tests, loaded in place of office.js: Office.onReady resolves at once and Excel.run
 * runs the add-in's code against an in-memory workbook (window.__workbook), one fresh context per run.
 */
import { type Cell, FakeWorkbook, fakeContext, plainFactory } from "./model.ts";

declare global {
  interface Window {
    __workbook: FakeWorkbook;
    __excelRuns: number;
    __seed?: { name: string; rows: Cell[][] }[];
  }
}

const wb = new FakeWorkbook();
for (const s of window.__seed ?? []) wb.addSheet(s.name, s.rows);
window.__workbook = wb;
window.__excelRuns = 0;

const w = window as unknown as Record<string, unknown>;
w.Office = {
  onReady: (cb?: (info: { host: string; platform: string }) => void) => {
    const info = { host: "Excel", platform: "PC" };
    cb?.(info);
    return Promise.resolve(info);
  },
  actions: { associate: () => {} },
  HostType: { Excel: "Excel" },
};
w.Excel = {
  run: async <T>(batch: (context: unknown) => Promise<T>): Promise<T> => {
    window.__excelRuns++;
    const { context } = fakeContext(wb, plainFactory);
    return batch(context);
  },
};
