import { parse } from "csv-parse";
for (const input of ['a,b\r\n1,"x\r\ny"\r\n3,4\r\n', 'a,b\n1,"x\ny"\n3,4\n', 'a,b\r\n1,2\r\n3,4']) {
  const p = parse({ info: true, relax_column_count: true, skip_empty_lines: true });
  p.end(input);
  const out = [];
  for await (const r of p) out.push(r.info.lines);
  console.log(JSON.stringify(input), out);
}
