/** Things the person should know about how the file was read. */
export function Notes({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <section className="notes" aria-label="How the file was read" data-testid="notes">
      <ul>{notes.map((n) => <li key={n}>{n}</li>)}</ul>
    </section>
  );
}
