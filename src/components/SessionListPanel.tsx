import { memo, useCallback, useState } from 'react';
import { sessionListAnswerKey, type AppStore } from '../state/app-store';
import type { SessionRules } from '../domain/rules';
import type { UserFilters } from '../domain/user-filters';
import { NO_SESSION_FILTER, type SessionFilter, type SessionListRow, type SessionSortKey, type SortDirection } from '../domain/session-list';
import { formatCount } from '../domain/format';
import { SessionFilters } from './SessionFilters';
import { SessionList } from './SessionList';
import { useLatestAnswer } from './useLatestAnswer';

/*
 * Every session at the threshold and rules the controls show, sorted and filtered in the
 * stats worker; the page asks it for the rows in view only. The list follows the slider as
 * it moves and says 'loading' until its rows are for the settings shown.
 */

/** Rows are fetched in steps of this many, with a step either side of the view. */
const STEP = 20;
const FETCH_ROWS = 14 + 3 * STEP;

/** What both session views (the list and sessions over time) are given. */
export interface SessionViewProps {
  store: AppStore;
  eventsTable: string;
  gapMinutes: number;
  rules: SessionRules;
  /** The users left out: part of the key, so a filter change asks again. */
  userFilters: UserFilters;
  timeZone: string;
  /** Whether the figures for these settings are on screen: the panel asks only once they are (useLatestAnswer). */
  figuresShown: boolean;
}

export const SessionListPanel = memo(function SessionListPanel({
  store,
  eventsTable,
  gapMinutes,
  rules,
  userFilters,
  timeZone,
  figuresShown,
}: SessionViewProps) {
  const [filter, setFilter] = useState<SessionFilter>(NO_SESSION_FILTER);
  const [order, setOrder] = useState<{ sort: SessionSortKey; direction: SortDirection }>({ sort: 'start', direction: 'asc' });
  const [firstRow, setFirstRow] = useState(0);
  const offset = Math.max(0, (Math.floor(firstRow / STEP) - 1) * STEP);
  const listKey = sessionListAnswerKey(eventsTable, { gapMinutes, rules, userFilters }, { filter, ...order });
  const answer = useLatestAnswer(
    `${listKey}|${offset}`,
    () => store.queries.sessionPage({ filter, ...order, offset, limit: FETCH_ROWS }),
    figuresShown ? listKey : null,
  );
  const page = answer?.ok ? answer.value : null;
  const filtered = JSON.stringify(filter) !== JSON.stringify(NO_SESSION_FILTER);
  const state = answer === null || answer.key !== listKey ? 'loading' : answer.ok ? 'ready' : 'error';

  const onSort = useCallback((sort: SessionSortKey) => {
    setOrder((o) => ({ sort, direction: o.sort === sort && o.direction === 'asc' ? 'desc' : 'asc' }));
    setFirstRow(0);
  }, []);
  const onFilter = useCallback((f: SessionFilter) => {
    setFilter(f);
    setFirstRow(0);
  }, []);
  const onOpen = useCallback(
    (row: SessionListRow) => {
      store.selectUser(row.userId, row.sessionNumber);
      document.querySelector('[aria-label="User timeline"]')?.scrollIntoView({ block: 'start' });
    },
    [store],
  );

  return (
    <section className="session-list-panel" aria-label="Session list">
      <h2>Sessions</h2>
      <p className="hint">
        {page ? `${formatCount(page.total)} sessions` : 'Counting sessions…'} at this threshold and these rules
        {filtered ? ' that the filters leave' : ''}. Click a row to open that user's timeline at that session. Start times are in {timeZone}.
      </p>
      <SessionFilters onChange={onFilter} />
      {answer && !answer.ok && (
        <p role="alert" className="error-text" data-testid="session-list-error">
          The session list could not be made: {answer.message}
        </p>
      )}
      <SessionList
        key={`${JSON.stringify(filter)}|${order.sort}|${order.direction}`}
        page={page}
        state={state}
        sort={order.sort}
        direction={order.direction}
        timeZone={timeZone}
        onSort={onSort}
        onFirstRow={setFirstRow}
        onOpen={onOpen}
      />
    </section>
  );
});
