import { memo, useMemo, useState } from 'react';
import type { AppState, AppStore } from '../state/app-store';
import type { TopUserRow } from '../domain/types';
import type { SessionRules } from '../domain/rules';
import { SessionTimeline } from '../charts/SessionTimeline';
import { formatCount } from '../domain/format';
import { minutesToUs } from '../domain/threshold';
import { sessionBreaks } from '../domain/session-breaks';
import { UserSearch } from './UserSearch';

/** Find a user by id (prefix search) or among the most active, and show their story; a second user beside them. */
export interface UserTimelinePanelProps {
  store: AppStore;
  timeline: AppState['timeline'];
  timelineUser: AppState['timelineUser'];
  compareTimeline: AppState['compareTimeline'];
  compareUser: AppState['compareUser'];
  /** Identifies the result on screen (events table and threshold), to tell stale top-user lists. */
  resultKey: string;
  /** The threshold and rules of the result on screen: they say why each session starts. */
  gapMinutes: number;
  rules: SessionRules;
  /** The IANA zone times are shown in. */
  displayTimeZone: string;
  /** A load or recompute is running while a user is shown. */
  loading: boolean;
}

/*
 * Takes only what it shows, not the whole app state, so that memo skips it on threshold
 * changes while no user is selected.
 */
export const UserTimelinePanel = memo(function UserTimelinePanel(props: UserTimelinePanelProps) {
  const { store, timeline, timelineUser, compareTimeline, compareUser, resultKey, gapMinutes, rules, displayTimeZone, loading } = props;
  const [top, setTop] = useState<{ by: 'events' | 'sessions'; key: string; rows: TopUserRow[] } | null>(null);
  const showTop = async (by: 'events' | 'sessions') => {
    const { key, rows } = await store.queries.topUsers(by);
    setTop({ by, key, rows });
  };

  return (
    <section className="timeline-panel" aria-label="User timeline">
      <h2>One user's story</h2>
      <div className="user-search">
        <UserSearch store={store} testId="user-search" label="User id" onChoose={(id) => store.selectUser(id)} />
        <button type="button" data-testid="top-users-events" onClick={() => void showTop('events')}>
          Most events
        </button>
        <button type="button" data-testid="top-users-sessions" onClick={() => void showTop('sessions')}>
          Most sessions
        </button>
        {timelineUser && <UserSearch store={store} testId="user-compare-search" label="Compare with user" onChoose={(id) => store.compareWithUser(id)} />}
      </div>
      {top && (
        <div className="top-users" data-testid="top-users">
          <span className="hint">
            {top.by === 'events' ? 'Most events' : 'Most sessions'}
            {top.key.startsWith(resultKey) || top.by === 'events' ? '' : ' (at an earlier threshold: click again to refresh)'}:
          </span>
          {top.rows.map((r) => (
            <button key={r.userId} type="button" className="link-button" onClick={() => store.selectUser(r.userId)}>
              {r.userId} ({formatCount(top.by === 'events' ? r.events : r.sessions)})
            </button>
          ))}
        </div>
      )}
      <div className={compareUser ? 'timelines-side-by-side' : undefined}>
        <UserStory
          testId="timeline"
          timeline={timeline}
          asked={timelineUser?.userId ?? null}
          thresholdUs={minutesToUs(gapMinutes)}
          rules={rules}
          timeZone={displayTimeZone}
          loading={loading && timelineUser !== null}
          onSelect={(n) => timeline && store.selectUser(timeline.userId, n)}
          onPage={(offset) => timeline && store.selectUser(timeline.userId, timeline.selected, offset)}
        />
        {compareUser && (
          <div>
            <button type="button" data-testid="user-compare-close" onClick={() => store.compareWithUser(null)}>
              Stop comparing with {compareUser.userId}
            </button>
            <UserStory
              testId="timeline-compare"
              timeline={compareTimeline}
              asked={compareUser.userId}
              thresholdUs={minutesToUs(gapMinutes)}
              rules={rules}
              timeZone={displayTimeZone}
              loading={loading}
              onSelect={(n) => compareTimeline && store.compareWithUser(compareTimeline.userId, n)}
              onPage={(offset) => compareTimeline && store.compareWithUser(compareTimeline.userId, compareTimeline.selected, offset)}
            />
          </div>
        )}
      </div>
    </section>
  );
});

interface UserStoryProps {
  testId: string;
  timeline: AppState['timeline'];
  /** The user asked for (the timeline may still be another's, or none). */
  asked: string | null;
  thresholdUs: number;
  rules: SessionRules;
  timeZone: string;
  loading: boolean;
  onSelect: (sessionNumber: number | null) => void;
  onPage: (offset: number) => void;
}

/** One user's timeline and events, each session's start explained. */
function UserStory({ testId, timeline, asked, thresholdUs, rules, timeZone, loading, onSelect, onPage }: UserStoryProps) {
  const breaks = useMemo(() => sessionBreaks(timeline?.sessions ?? [], thresholdUs, rules), [timeline, thresholdUs, rules]);
  return (
    <div>
      {asked !== null && timeline?.summary === null && timeline.userId === asked && (
        <p className="error" role="alert">
          No events for user “{timeline.userId}” in this file.
        </p>
      )}
      <SessionTimeline
        testId={testId}
        userId={timeline?.summary ? timeline.userId : null}
        summary={timeline?.summary ?? null}
        sessions={timeline?.sessions ?? []}
        marks={timeline?.marks ?? []}
        range={timeline?.range ?? null}
        selected={timeline?.selected ?? null}
        onSelect={onSelect}
        events={timeline?.events ?? []}
        cells={timeline?.cells ?? { columns: [], values: [] }}
        breaks={breaks}
        eventsOffset={timeline?.eventsOffset ?? 0}
        onEventsPage={onPage}
        timeZone={timeZone}
        loading={loading}
      />
    </div>
  );
}
