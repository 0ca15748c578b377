import assert from "node:assert/strict";
import { test } from "node:test";
import { strFromU8, unzipSync } from "fflate";
import { validateXML } from "xmllint-wasm";
import { writeXlsx } from "../../functions/documents/xlsx.ts";
import { days4, dec2, int, money, rate4 } from "../../shared/documents/spreadsheet.ts";
import { readXlsx } from "../support/xlsx.ts";

const SAMPLE = [
  {
    name: "Feuille: [test]/1",
    columnWidths: [20, 12],
    rows: [
      { cells: ["Libellé <b> & \"quotes\" 'apos'", money(-392500), rate4(68500), days4(135000), int(7), dec2(16900), "=SUM(A1:A2)"], bold: true },
      { cells: [null, undefined, "", money(5)] },
    ],
  },
  { name: "Feuille: [test]/1", rows: [{ cells: ["second"] }] },
];

test("XLSX package (ExcelJS): well-formed parts, text and exact numbers read back with their formats", async () => {
  const bytes = await writeXlsx(SAMPLE);
  const files = unzipSync(bytes);
  for (const part of ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"]) {
    assert.ok(files[part], `${part} present`);
  }
  for (const [name, content] of Object.entries(files).filter(([n]) => /\.(xml|rels)$/.test(n))) {
    const r = await validateXML({ xml: [{ fileName: "part.xml", contents: strFromU8(content) }], normalization: "format" });
    assert.deepEqual(
      r.errors.map((e) => e.rawMessage),
      [],
      name,
    );
  }
  const sheets = await readXlsx(bytes);
  // Sheet names lose the characters Excel forbids and stay unique.
  assert.deepEqual(
    sheets.map((s) => s.name),
    ["Feuille   test  1", "Feuille   test  1 2"],
  );
  const cells = sheets[0]!.cells;
  const at = (a: string) => cells.get(a);
  assert.equal(at("A1")?.value, "Libellé <b> & \"quotes\" 'apos'");
  assert.equal(at("A1")?.bold, true);
  assert.deepEqual([at("B1")?.value, at("B1")?.numFmt], [-3925, "#,##0.00"]);
  assert.deepEqual([at("C1")?.value, at("C1")?.numFmt], [6.85, "0.00##"]);
  assert.deepEqual([at("D1")?.value, at("D1")?.numFmt], [13.5, "0.00"]);
  assert.deepEqual([at("E1")?.value, at("E1")?.numFmt], [7, "0"]);
  assert.deepEqual([at("F1")?.value, at("F1")?.numFmt], [169, "0.00"]);
  // Formula-like text stays a string, formatted as Text so that editing the cell keeps it text.
  assert.deepEqual([at("G1")?.value, at("G1")?.numFmt], ["=SUM(A1:A2)", "@"]);
  assert.doesNotMatch(strFromU8(files["xl/worksheets/sheet1.xml"]!), /<f[ >]/);
  // Empty cells are not written; one cent stays one cent.
  assert.deepEqual(
    [...cells.keys()].filter((a) => a.endsWith("2")),
    ["D2"],
  );
  assert.deepEqual([at("D2")?.value, at("D2")?.bold], [0.05, false]);
  assert.equal(sheets[1]!.cells.get("A1")?.value, "second");
});

test("XLSX bytes are reproducible (fixed zip and document dates) and an empty workbook is refused", async () => {
  const first = await writeXlsx(SAMPLE);
  await new Promise((resolve) => setTimeout(resolve, 2100)); // zip times have a 2-second resolution
  assert.deepEqual(await writeXlsx(SAMPLE), first);
  assert.match(strFromU8(unzipSync(first)["docProps/core.xml"]!), /1980-01-01T12:00:00Z/);
  await assert.rejects(() => writeXlsx([]));
});
