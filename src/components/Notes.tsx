import { memo } from 'react';

/** Things the person should know about how the file was read. */
export const Notes = memo(function Notes({ notes, more = [] }: { notes: string[]; more?: string[] }) {
  const all = [...notes, ...more];
  if (all.length === 0) return null;
  return (
    <section className="notes" aria-label="How the file was read" data-testid="notes">
      <ul>
        {all.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </section>
  );
});
