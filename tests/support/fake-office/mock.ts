/// <reference types="office-js" />
/** The fake context on office-addin-mock objects: what the Node adapter tests use. */
import { OfficeMockObject } from "office-addin-mock";
import { type FakeWorkbook, fakeContext } from "./model.ts";

export function mockExcel(wb: FakeWorkbook): { context: Excel.RequestContext; syncs: () => number } {
  const { context, syncs } = fakeContext(
    wb,
    (data) => new OfficeMockObject(data) as unknown as Record<string, unknown>,
    async (created) => {
      for (const p of created) await (p as unknown as OfficeMockObject).sync();
    },
  );
  return { context: context as unknown as Excel.RequestContext, syncs };
}
