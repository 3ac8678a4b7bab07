import { memo, useEffect, useState } from 'react';
import type { AppStore, MappingQuestion } from '../state/app-store';
import type { QuestionRole } from '../domain/role-candidates';

const ROLE_LABELS: Record<QuestionRole, string> = { user: 'User id', timestamp: 'Timestamp' };
const VERDICT_LABELS = { likely: 'fits', possible: 'fits less well', never: 'not a likely choice' } as const;
/** Sample values are cut to this many characters (a description column can hold paragraphs). */
const SAMPLE_CHARS = 40;

const cut = (text: string) =>
  Array.from(text).length > SAMPLE_CHARS
    ? `${Array.from(text)
        .slice(0, SAMPLE_CHARS - 1)
        .join('')}…`
    : text;

/** The uncertain roles start unchosen; a sure role shows the detected column and can be changed. */
function initialChoice(question: MappingQuestion): Record<QuestionRole, string> {
  const open = new Set(question.roles.map((r) => r.role));
  return { user: open.has('user') ? '' : question.mapping.user, timestamp: open.has('timestamp') ? '' : question.mapping.timestamp };
}

/**
 * Asks which column is the user id and/or the timestamp when neither names nor values decide
 * (role-candidates.ts). Its selects are the page's map-user and map-timestamp while it is
 * open; choosing a column for every uncertain role loads the file with them.
 */
export const MappingQuestionPanel = memo(function MappingQuestionPanel({
  store,
  question,
  busy,
}: {
  store: AppStore;
  question: MappingQuestion;
  busy: boolean;
}) {
  const open = new Set(question.roles.map((r) => r.role));
  const [chosen, setChosen] = useState(() => initialChoice(question));
  useEffect(() => setChosen(initialChoice(question)), [question]);

  const choose = (role: QuestionRole, column: string) => {
    const next = { ...chosen, [role]: column };
    setChosen(next);
    if ([...open].every((r) => next[r] !== '')) {
      void store.answerQuestion({
        ...(next.user !== '' ? { user: next.user } : {}),
        ...(next.timestamp !== '' ? { timestamp: next.timestamp } : {}),
      });
    }
  };

  return (
    <section className="mapping-question" data-testid="mapping-question" aria-label={`Which columns of ${question.fileName}?`}>
      <h2>Which columns of {question.fileName}?</h2>
      <p>The page is not sure which columns to use, so it shows no figures from a guess. Choose below; nothing else changed.</p>
      {question.roles.map((r) => (
        <div key={r.role} className="question-role" data-role={r.role}>
          <h3>{ROLE_LABELS[r.role]}</h3>
          <p>{r.reason}</p>
          <table className="question-candidates">
            <thead>
              <tr>
                <th scope="col">column</th>
                <th scope="col">values</th>
                <th scope="col">why</th>
              </tr>
            </thead>
            <tbody>
              {r.candidates.map((c) => (
                <tr key={c.column} data-testid="question-candidate" data-column={c.column} data-verdict={c.verdict}>
                  <th scope="row">{c.column}</th>
                  <td>{c.samples.map(cut).join(', ')}</td>
                  <td>
                    {VERDICT_LABELS[c.verdict]}: {c.why}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <div className="mapping">
        {(['user', 'timestamp'] as const).map((role) => (
          <label key={role}>
            <span>{ROLE_LABELS[role]}</span>
            <select data-testid={`map-${role}`} value={chosen[role]} disabled={busy} onChange={(e) => choose(role, e.currentTarget.value)}>
              {open.has(role) && <option value="">choose…</option>}
              {question.columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <button type="button" data-testid="mapping-question-cancel" onClick={() => store.cancelQuestion()}>
        Cancel
      </button>
    </section>
  );
});
