import type { ColumnMapping } from '../domain/types';
import type { AppState, AppStore } from './app-store';
import { rulesAreDefault, writeUrlSettings, type UrlSettings } from './url-state';

/*
 * Keeps the page's address and the store in step (url-state.ts is the pure half). A link's
 * threshold and rules apply at once; its mapping and user wait for the first file loaded
 * after the page opened: the mapping applies when that file has every column it names
 * (otherwise a note says which are missing and the detected mapping stays), then the user
 * is shown. From then on the address follows the page, written once the settings rest for
 * a moment (replaceState costs milliseconds, too many for every step of a slider drag).
 */

export interface UrlSyncTarget {
  search: () => string;
  replace: (search: string) => void;
}

const browserTarget: UrlSyncTarget = {
  search: () => window.location.search,
  replace: (search) => {
    const url = new URL(window.location.href);
    url.search = search;
    window.history.replaceState(null, '', url);
  },
};

export class UrlSync {
  /** What the link asked for that waits for a file: cleared once applied or found impossible. */
  private pendingMapping: Partial<ColumnMapping> | null;
  private pendingUser: string | null;
  private note: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();

  /** `initial`: readUrlSettings of the address the page opened with (its threshold is the store's first). */
  constructor(
    private readonly store: AppStore,
    private readonly initial: UrlSettings,
    private readonly target: UrlSyncTarget = browserTarget,
    private readonly delayMs = 250,
  ) {
    this.pendingMapping = initial.mapping;
    this.pendingUser = initial.user;
  }

  /** Applies the link's rules and starts following the store; returns the stop function. */
  start(): () => void {
    const { rules, gapMinutes } = this.initial;
    if (!rulesAreDefault(rules)) {
      // The presets' zone and campaign column are the link's, so its preset reads as chosen.
      if (rules.midnightTimeZone !== null || rules.splitColumn !== null) {
        const state = this.store.getState();
        this.store.setPresetContext(rules.midnightTimeZone ?? state.presetZone, rules.splitColumn ?? state.presetCampaignColumn);
      }
      this.store.setRules(rules, gapMinutes);
    }
    // The preset is state (two products may share settings): the link's stays chosen.
    const { preset, userFilters, compareGapMinutes, displayTimeZone } = this.initial;
    if (preset !== null && preset !== 'custom') this.store.choosePreset(preset);
    if (userFilters.maxEventsPerUser !== null || userFilters.columnMatch !== null) this.store.setUserFilters(userFilters);
    if (compareGapMinutes !== null) this.store.setCompareGapMinutes(compareGapMinutes);
    if (displayTimeZone !== 'UTC') this.store.setDisplayTimeZone(displayTimeZone);
    const stop = this.store.subscribe(() => this.follow());
    this.follow();
    return () => {
      stop();
      if (this.timer !== null) clearTimeout(this.timer);
    };
  }

  /** Why the link's mapping was not applied, or null. */
  getNote = (): string | null => this.note;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private setNote(note: string | null): void {
    this.note = note;
    for (const listener of this.listeners) listener();
  }

  private follow(): void {
    const state = this.store.getState();
    if (state.dataset && state.status !== 'loading') this.applyPending(state);
    this.scheduleWrite();
  }

  private applyPending(state: AppState): void {
    const dataset = state.dataset;
    if (!dataset) return;
    if (this.pendingMapping) {
      const wanted = this.pendingMapping;
      this.pendingMapping = null;
      const named = Object.entries(wanted).filter(([field, column]) => field !== 'format' && column !== '' && column !== undefined);
      const missing = named.map(([, column]) => String(column)).filter((column) => !dataset.raw.columns.includes(column));
      if (missing.length > 0) {
        this.setNote(
          `The link's column${missing.length > 1 ? 's' : ''} ${missing.map((c) => JSON.stringify(c)).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in ${dataset.raw.fileName}: the columns detected in this file are used.`,
        );
      } else {
        const applied = dataset.events.mapping;
        const next: ColumnMapping = { ...applied, ...wanted };
        const differs = (Object.keys(next) as (keyof ColumnMapping)[]).some((k) => next[k] !== applied[k]);
        if (differs) {
          // Without a format in the link, a different timestamp column's format is guessed again.
          const guessFormat = wanted.format === undefined && (next.timestamp !== applied.timestamp || next.time !== applied.time);
          void this.store.setMapping(next, guessFormat);
          return;
        }
      }
    }
    if (this.pendingUser !== null && state.status === 'ready') {
      const user = this.pendingUser;
      this.pendingUser = null;
      this.store.selectUser(user);
    }
  }

  private scheduleWrite(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const search = `?${this.current().toString()}`;
      if (search !== this.target.search()) this.target.replace(search);
    }, this.delayMs);
  }

  /** The address for the state on screen; what the link asked for and is not applied yet stays in it. */
  private current(): URLSearchParams {
    const s = this.store.getState();
    const settings: UrlSettings = {
      gapMinutes: s.gapMinutes,
      rules: s.rules,
      preset: s.preset,
      mapping: this.pendingMapping ?? s.dataset?.events.mapping ?? this.initial.mapping,
      user: this.pendingUser ?? (s.dataset ? (s.timelineUser?.userId ?? null) : this.initial.user),
      userFilters: s.userFilters,
      compareGapMinutes: s.compareGapMinutes,
      displayTimeZone: s.displayTimeZone,
    };
    return writeUrlSettings(settings, new URLSearchParams(this.target.search()));
  }
}
