import { describe, expect, it } from 'vitest';
import { TableLedger } from './table-ledger';

describe('TableLedger', () => {
  it('drops a shared table only when its last holder lets go', async () => {
    const dropped: string[] = [];
    const ledger = new TableLedger(async (names) => {
      dropped.push(...names);
    });
    ledger.retain(['raw_1', 'events_1_0']);
    // A mapping change: a second dataset holds the same raw table and its own events.
    ledger.retain(['raw_1', 'events_1_2']);
    await ledger.release(['raw_1', 'events_1_0']);
    expect(dropped).toEqual(['events_1_0']);
    await ledger.release(['raw_1', 'events_1_2']);
    expect(dropped).toEqual(['events_1_0', 'raw_1', 'events_1_2']);
  });

  it('sweeps what a job made and no one retained, and nothing else', async () => {
    const dropped: string[] = [];
    const ledger = new TableLedger(async (names) => {
      dropped.push(...names);
    });
    ledger.retain(['raw_2']);
    await ledger.sweep(['raw_2', 'raw_2_try0', 'raw_2_try0']);
    expect(dropped).toEqual(['raw_2_try0']);
    expect(ledger.holds('raw_2')).toBe(true);
  });
});
