import { useEffect, useId, useState } from 'react';
import type { AppStore } from '../state/app-store';
import type { UserSuggestionRow } from '../domain/types';
import { formatCount } from '../domain/format';

interface UserSearchProps {
  store: AppStore;
  testId: string;
  label: string;
  /** Opens a user. */
  onChoose: (userId: string) => void;
}

/** Users listed when several ids start with what was typed. */
const MATCHES_LISTED = 20;

/**
 * A user id box with prefix suggestions. Enter opens the id typed when it is one, else the
 * only id starting with it, else lists the ids that do (or says none does).
 */
export function UserSearch({ store, testId, label, onChoose }: UserSearchProps) {
  const [text, setText] = useState('');
  const [suggestions, setSuggestions] = useState<UserSuggestionRow[]>([]);
  const [matches, setMatches] = useState<{ prefix: string; rows: UserSuggestionRow[] } | null>(null);
  const listId = useId();

  useEffect(() => {
    let current = true;
    // A short pause between keystrokes before asking: one query per word, not per letter.
    const timer = setTimeout(() => {
      void store.queries.suggestUsers(text).then((rows) => {
        if (current) setSuggestions(rows);
      });
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [store, text]);

  const choose = (userId: string) => {
    setText(userId);
    setMatches(null);
    onChoose(userId);
  };
  const enter = async (prefix: string) => {
    // Ids sort after their prefixes, so an exact id is the first row when it exists.
    const rows = await store.queries.suggestUsers(prefix, MATCHES_LISTED + 1);
    const only = rows.length === 1 ? rows[0] : undefined;
    if (rows[0]?.userId === prefix) choose(prefix);
    else if (only) choose(only.userId);
    // No answer (DuckDB still reading the file): ask for the id as typed; the timeline says if it is none.
    else if (rows.length === 0) choose(prefix);
    else setMatches({ prefix, rows });
  };

  return (
    <div className="user-search-box">
      <label>
        <span>{label}</span>
        <input
          data-testid={testId}
          list={listId}
          value={text}
          placeholder="type the start of an id, then Enter"
          spellCheck={false}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setText(value);
            // Picking from the list fills the whole id: open it at once.
            if (suggestions.some((s) => s.userId === value)) choose(value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && text !== '') void enter(text);
          }}
        />
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s.userId} value={s.userId}>{`${formatCount(s.events)} events`}</option>
          ))}
        </datalist>
      </label>
      {matches && matches.rows.length > 1 && (
        <div className="user-matches" data-testid="user-matches" data-count={String(matches.rows.length)}>
          <span className="hint">
            {matches.rows.length > MATCHES_LISTED ? `More than ${MATCHES_LISTED}` : matches.rows.length} ids start with “{matches.prefix}”; pick one:
          </span>
          {matches.rows.slice(0, MATCHES_LISTED).map((r) => (
            <button key={r.userId} type="button" className="link-button" data-user={r.userId} onClick={() => choose(r.userId)}>
              {r.userId} ({formatCount(r.events)} events)
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
