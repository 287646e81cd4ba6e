import { BarChart } from "@mantine/charts";
import { formatCount } from "../ui/format";
import classes from "./dashboard.module.css";

export interface Bar {
  label: string;
  count: number;
}

/**
 * Horizontal bars of asset counts; a click on a bar calls `onBarClick` with its
 * index. A chunk of its own (count-chart.tsx loads it lazily).
 */
export default function CountBarChart({ bars, height, onBarClick }: { bars: Bar[]; height: number; onBarClick: (index: number) => void }) {
  return (
    <BarChart
      h={height}
      data={bars}
      dataKey="label"
      orientation="vertical"
      series={[{ name: "count", label: "Assets", color: "indigo.6" }]}
      valueFormatter={formatCount}
      gridAxis="none"
      tickLine="none"
      yAxisProps={{ width: 120 }}
      maxBarWidth={22}
      // The table beside it is the accessible version; recharts' own keyboard layer would be a second, focusable copy.
      barChartProps={{ accessibilityLayer: false }}
      barProps={{ className: classes.bar, onClick: (_bar, index) => onBarClick(index) }}
    />
  );
}
