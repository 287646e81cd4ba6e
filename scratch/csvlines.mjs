import { parse } from "csv-parse";
const p = parse({ info: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true, on_skip: (e) => console.log("skip", e.code, e.lines, e.message) });
p.write('a,b\n1,"x\ny"\n\n3,4\n5,"bad"x\n6,7\r\n8,"z');
p.end();
for await (const r of p) console.log(JSON.stringify(r.record), r.info.lines, r.info.records);
