/*
 * What changes between two cuts of the same events (two thresholds, or the current settings
 * and a preset's), from their two sets of session starts, in one pass in the events table's
 * order (each user's events together, in time order).
 *
 * A session is the same in both cuts when it holds the same events: it starts at the same
 * event and the next start (or the user's end) is at the same event in both. Events, not
 * instants: a max-events cut between two events with equal timestamps makes two sessions
 * with the same user, start and end, which instants alone could not tell apart.
 */

export interface ChangedUser {
  /** The file row of the user's first event (the events table's row_number), to look the id up. */
  row: number;
  sessionsA: number;
  sessionsB: number;
}

export interface SessionDiff {
  sessionsA: number;
  sessionsB: number;
  /** Sessions of cut A that are not, event for event, a session of cut B. */
  onlyA: number;
  /** Sessions of cut B that are not a session of cut A. */
  onlyB: number;
  /** Users whose sessions differ between the two cuts. */
  usersChanged: number;
  /** The first `limit` changed users in the events table's order. */
  changedUsers: ChangedUser[];
}

/**
 * Compares two sets of session starts over the same events. `gaps` marks each user's first
 * event (-1), which both cuts start a session at.
 */
export function sessionDiff(gaps: Float64Array, rows: Float64Array, startsA: Uint8Array, startsB: Uint8Array, limit: number): SessionDiff {
  const n = gaps.length;
  let sessionsA = 0;
  let sessionsB = 0;
  let shared = 0;
  // The session of A under way starts where B starts too, and B has not cut inside it.
  let aligned = false;
  let usersChanged = 0;
  const changedUsers: ChangedUser[] = [];
  let userFirst = -1;
  let userDiffers = false;
  let userA = 0;
  let userB = 0;
  const endUser = () => {
    if (userFirst < 0 || !userDiffers) return;
    usersChanged++;
    if (changedUsers.length < limit) changedUsers.push({ row: rows[userFirst] as number, sessionsA: userA, sessionsB: userB });
  };
  for (let i = 0; i < n; i++) {
    const a = startsA[i] === 1;
    const b = startsB[i] === 1;
    if ((gaps[i] as number) < 0) {
      endUser();
      userFirst = i;
      userDiffers = false;
      userA = 0;
      userB = 0;
    }
    if (a) {
      // The session of A before this event ends here; it is B's too when B also cuts here.
      if (aligned && b) shared++;
      aligned = b;
      sessionsA++;
      userA++;
    } else if (b) {
      aligned = false;
    }
    if (b) {
      sessionsB++;
      userB++;
    }
    if (a !== b) userDiffers = true;
  }
  // The end of the events ends the last session of both cuts.
  if (aligned) shared++;
  endUser();
  return { sessionsA, sessionsB, onlyA: sessionsA - shared, onlyB: sessionsB - shared, usersChanged, changedUsers };
}
