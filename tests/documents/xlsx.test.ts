import assert from "node:assert/strict";
import { test } from "node:test";
import { strFromU8, unzipSync } from "fflate";
import { validateXML } from "xmllint-wasm";
import { days4, dec2, int, money, rate4, writeXlsx } from "../../shared/documents/xlsx.ts";

test("XLSX package: the parts SpreadsheetML requires, well-formed XML, escaped text, exact numbers", async () => {
  const bytes = writeXlsx([
    {
      name: "Feuille: [test]/1",
      columnWidths: [20, 12],
      rows: [
        { cells: ["Libellé <b> & \"quotes\" 'apos' \u0002", money(-392500), rate4(68500), days4(135000), int(7), dec2(16900)], bold: true },
        { cells: [null, undefined, "", money(5)] },
      ],
    },
    { name: "Feuille: [test]/1", rows: [{ cells: ["second"] }] },
  ]);
  const files = unzipSync(bytes);
  const names = Object.keys(files).sort();
  assert.deepEqual(names, [
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "xl/workbook.xml",
    "xl/worksheets/sheet1.xml",
    "xl/worksheets/sheet2.xml",
  ]);
  for (const name of names) {
    const r = await validateXML({ xml: [{ fileName: "part.xml", contents: strFromU8(files[name] ?? new Uint8Array()) }], normalization: "format" });
    assert.deepEqual(
      r.errors.map((e) => e.rawMessage),
      [],
      name,
    );
  }
  const sheet = strFromU8(files["xl/worksheets/sheet1.xml"] ?? new Uint8Array());
  assert.match(sheet, /<t xml:space="preserve">Libellé &lt;b&gt; &amp; &quot;quotes&quot; &apos;apos&apos; <\/t>/);
  assert.match(sheet, /<c r="B1" s="3"><v>-3925.00<\/v><\/c>/);
  assert.match(sheet, /<c r="C1" s="7"><v>6.8500<\/v><\/c>/);
  assert.match(sheet, /<c r="D1" s="5"><v>13.5000<\/v><\/c>/);
  assert.match(sheet, /<c r="E1" s="9"><v>7<\/v><\/c>/);
  assert.match(sheet, /<c r="D2" s="2"><v>0.05<\/v><\/c>/);
  const workbook = strFromU8(files["xl/workbook.xml"] ?? new Uint8Array());
  // Sheet names lose the characters Excel forbids and stay unique.
  assert.match(workbook, /<sheet name="Feuille {3}test {2}1" sheetId="1"/);
  assert.match(workbook, /<sheet name="Feuille {3}test {2}1 2" sheetId="2"/);
  assert.deepEqual(writeXlsx([{ name: "A", rows: [{ cells: ["x"] }] }]), writeXlsx([{ name: "A", rows: [{ cells: ["x"] }] }]));
  assert.throws(() => writeXlsx([]));
});
