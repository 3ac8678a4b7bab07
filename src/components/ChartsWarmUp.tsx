import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';

/*
 * recharts' first chart in a page costs far more than the next: its code is compiled and
 * its stores are set up on first use. In a cold 1M load that first use fell in the first
 * render of the result, on the way to `ready` (~250 ms of main-thread time of ~600 in a
 * profile). This draws a bar chart and a line chart like the workspace's (grid, number and
 * log axes, tooltip, reference line), once, invisibly, when the page is idle with nothing
 * loaded, so the cost is paid before a file is chosen.
 */

const BARS = Array.from({ length: 40 }, (_, x) => ({ x, value: (x * 37) % 11 }));
const POINTS = Array.from({ length: 60 }, (_, i) => ({ minutes: 0.1 * 1.2 ** i, sessions: 1000 - i * 7, seconds: 1 + i }));

/** Mounted while the page is empty: draws once in an idle moment, for one frame, then nothing. */
export function ChartsWarmUp() {
  const [phase, setPhase] = useState<'waiting' | 'drawing' | 'done'>('waiting');
  useEffect(() => {
    if (phase === 'waiting') {
      // Safari has no requestIdleCallback: a pause after the first paint stands in for it.
      if (!('requestIdleCallback' in window)) {
        const id = setTimeout(() => setPhase('drawing'), 500);
        return () => clearTimeout(id);
      }
      const id = requestIdleCallback(() => setPhase('drawing'), { timeout: 2000 });
      return () => cancelIdleCallback(id);
    }
    if (phase === 'drawing') {
      const id = requestAnimationFrame(() => setPhase('done'));
      return () => cancelAnimationFrame(id);
    }
  }, [phase]);
  if (phase !== 'drawing') return null;
  return (
    <div aria-hidden="true" inert style={{ position: 'fixed', left: -10_000, top: 0, width: 800, visibility: 'hidden', pointerEvents: 'none' }}>
      <BarChart responsive width="100%" height={200} data={BARS} barCategoryGap={0} accessibilityLayer={false}>
        <CartesianGrid vertical={false} />
        <XAxis type="number" dataKey="x" domain={[-0.5, 40.5]} ticks={[0, 10, 20, 30]} interval="preserveStartEnd" fontSize={12} />
        <YAxis width={56} fontSize={12} domain={[0, 'auto']} />
        <Tooltip isAnimationActive={false} />
        <Bar dataKey="value" isAnimationActive={false} />
      </BarChart>
      <LineChart responsive width="100%" height={200} data={POINTS} accessibilityLayer={false}>
        <CartesianGrid />
        <XAxis type="number" dataKey="minutes" scale="log" domain={[0.1, 10_000]} ticks={[0.1, 1, 10, 100]} fontSize={12} />
        <YAxis yAxisId="sessions" width={56} fontSize={12} />
        <YAxis yAxisId="seconds" orientation="right" width={56} fontSize={12} scale="log" domain={['auto', 'auto']} />
        <Tooltip isAnimationActive={false} />
        <Line yAxisId="sessions" dataKey="sessions" dot={false} isAnimationActive={false} />
        <Line yAxisId="seconds" dataKey="seconds" dot={false} isAnimationActive={false} />
        <ReferenceLine yAxisId="sessions" x={1} />
      </LineChart>
    </div>
  );
}
