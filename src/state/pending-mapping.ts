import type { ColumnProfile } from '../domain/types';
import type { RawTable } from './raw-table';
import type { TableLedger } from './table-ledger';
import type { MappingQuestion } from './types';

/*
 * A file read into its raw table while the page asks which columns to use. It holds the
 * raw table (through the ledger) so that the answer builds the events from it without
 * reading the file again; whoever drops the question (cancel, another file, the answer's
 * dataset on screen) disposes it, once.
 */
export class PendingMapping {
  private released: Promise<void> | null = null;

  constructor(
    readonly question: MappingQuestion,
    readonly raw: RawTable,
    readonly profiles: ColumnProfile[],
    /** The mapping-independent notes of the read (compression, encoding, lines set aside). */
    readonly notes: string[],
    private readonly ledger: TableLedger,
  ) {
    ledger.retain([raw.table]);
  }

  /** Lets go of the raw table (dropped unless a dataset made from it holds it). Idempotent. */
  dispose(): Promise<void> {
    this.released ??= this.ledger.release([this.raw.table]);
    return this.released;
  }

  get disposed(): boolean {
    return this.released !== null;
  }
}
