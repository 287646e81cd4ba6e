import ExcelJS from "exceljs";
import { createReadStream } from "node:fs";
const r = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream("test/import/fixtures/devices.xlsx"), { styles: "cache", sharedStrings: "cache", worksheets: "emit" });
for await (const ws of r) { console.log(ws.name); for await (const row of ws) console.log(row.number, JSON.stringify(row.values)); }
