import { memo, useEffect, useId, useState } from 'react';
import type { AppState, AppStore } from '../state/app-store';
import type { TopUserRow, UserSuggestionRow } from '../domain/types';
import { SessionTimeline } from '../charts/SessionTimeline';
import { formatCount } from '../domain/format';

/** Find a user by id (prefix suggestions) or among the most active, and show their sessions. */
export interface UserTimelinePanelProps {
  store: AppStore;
  timeline: AppState['timeline'];
  timelineUser: AppState['timelineUser'];
  /** Identifies the result on screen (events table and threshold), to tell stale top-user lists. */
  resultKey: string;
  /** A load or recompute is running while a user is shown. */
  loading: boolean;
}

/*
 * Takes only what it shows, not the whole app state, so that memo skips it on threshold
 * changes while no user is selected.
 */
export const UserTimelinePanel = memo(function UserTimelinePanel({ store, timeline, timelineUser, resultKey, loading }: UserTimelinePanelProps) {
  const [text, setText] = useState('');
  const [suggestions, setSuggestions] = useState<UserSuggestionRow[]>([]);
  const [top, setTop] = useState<{ by: 'events' | 'sessions'; key: string; rows: TopUserRow[] } | null>(null);
  const listId = useId();

  useEffect(() => {
    let current = true;
    // A short pause between keystrokes before asking: one query per word, not per letter.
    const timer = setTimeout(() => {
      void store.suggestUsers(text).then((rows) => {
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
    store.selectUser(userId);
  };
  const showTop = async (by: 'events' | 'sessions') => {
    const { key, rows } = await store.topUsers(by);
    setTop({ by, key, rows });
  };

  return (
    <section className="timeline-panel" aria-label="User timeline">
      <h2>One user's sessions</h2>
      <div className="user-search">
        <label>
          <span>User id</span>
          <input
            data-testid="user-search"
            list={listId}
            value={text}
            placeholder="type the start of an id, then Enter"
            spellCheck={false}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setText(value);
              // Picking from the list fills the whole id: select it at once.
              if (suggestions.some((s) => s.userId === value)) store.selectUser(value);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && text !== '') choose(text);
            }}
          />
          <datalist id={listId}>
            {suggestions.map((s) => (
              <option key={s.userId} value={s.userId}>{`${formatCount(s.events)} events`}</option>
            ))}
          </datalist>
        </label>
        <button type="button" data-testid="top-users-events" onClick={() => void showTop('events')}>
          Most events
        </button>
        <button type="button" data-testid="top-users-sessions" onClick={() => void showTop('sessions')}>
          Most sessions
        </button>
      </div>
      {top && (
        <div className="top-users" data-testid="top-users">
          <span className="hint">
            {top.by === 'events' ? 'Most events' : 'Most sessions'}
            {top.key.startsWith(resultKey) || top.by === 'events' ? '' : ' (at an earlier threshold: click again to refresh)'}:
          </span>
          {top.rows.map((r) => (
            <button key={r.userId} type="button" className="link-button" onClick={() => choose(r.userId)}>
              {r.userId} ({formatCount(top.by === 'events' ? r.events : r.sessions)})
            </button>
          ))}
        </div>
      )}
      {timelineUser && timeline?.summary === null && timeline.userId === timelineUser.userId && (
        <p className="error" role="alert">
          No events for user “{timeline.userId}” in this file.
        </p>
      )}
      <SessionTimeline
        userId={timeline?.summary ? timeline.userId : null}
        summary={timeline?.summary ?? null}
        sessions={timeline?.sessions ?? []}
        marks={timeline?.marks ?? []}
        range={timeline?.range ?? null}
        selected={timeline?.selected ?? null}
        onSelect={(n) => timeline && store.selectUser(timeline.userId, n)}
        events={timeline?.events ?? []}
        eventsOffset={timeline?.eventsOffset ?? 0}
        onEventsPage={(offset) => timeline && store.selectUser(timeline.userId, timeline.selected, offset)}
        loading={loading}
      />
    </section>
  );
});
