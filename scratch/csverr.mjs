import { parse } from "csv-parse";
const p = parse({ relax_column_count: true, relax_quotes: true });
p.end('id,name\na1,ok\na2,"never closed\na3,x\n');
try { for await (const r of p) console.log("rec", JSON.stringify(r)); } catch (e) { console.log(e.code, e.lines, e.records, Object.keys(e)); }
