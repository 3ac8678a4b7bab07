import type { FileSource } from '../state/raw-table';

const ACCEPT = '.csv,.tsv,.txt,.log,.ndjson,.jsonl,.json,.parquet,text/csv,text/tab-separated-values';

/** A button that opens the file chooser and hands the chosen file on (read lazily, never copied). */
export function FileButton({ label, testId, onFile }: { label: string; testId: string; onFile: (source: FileSource) => void }) {
  return (
    <label className="file-button">
      <span>{label}</span>
      <input
        type="file"
        data-testid={testId}
        accept={ACCEPT}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          // Reset, so that choosing the same file again loads it again.
          e.currentTarget.value = '';
          if (file) onFile({ name: file.name, size: file.size, data: file });
        }}
      />
    </label>
  );
}
