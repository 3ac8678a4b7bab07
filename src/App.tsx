import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { AppStore } from './state/app-store';
import { useAppState, useShownState } from './state/useAppState';
import type { UrlSync } from './state/url-sync';
import { comparisonIsStale, resultIsStale, shownLanes } from './state/views';
import { LoadPanel } from './components/LoadPanel';
import { DropZone } from './components/DropZone';
import { ThresholdBar } from './components/ThresholdBar';
import { MappingPanel } from './components/MappingPanel';
import { MappingQuestionPanel } from './components/MappingQuestion';
import { Figures } from './components/Figures';
import { SkippedRows } from './components/SkippedRows';
import { PreviewTable } from './components/PreviewTable';
import { Notes } from './components/Notes';
import { download, ExportPanel } from './components/ExportPanel';
import { FilesPanel } from './components/FilesPanel';
import { RulesPanel } from './components/RulesPanel';
import { PresetCompare } from './components/PresetCompare';
import { ExplorePanel } from './components/ExplorePanel';
import { SqlPanel } from './components/SqlPanel';
import { UserTimelinePanel } from './components/UserTimelinePanel';
import { LatenessPanel } from './components/LatenessPanel';
import { TablesProblem } from './components/TablesProblem';
import { ExcludePanel } from './components/ExcludePanel';
import { BreakdownPanel } from './components/BreakdownPanel';
import { DisplayTimeZoneSelect } from './components/DisplayTimeZoneSelect';
import { SessionsOverTimePanel } from './components/SessionsOverTimePanel';
import { SessionListPanel } from './components/SessionListPanel';
import { ThresholdDiffPanel } from './components/ThresholdDiffPanel';
import { LanesPanel } from './components/LanesPanel';
import { SessionDistributions } from './components/SessionDistributions';
import { SkipLinks } from './components/SkipLinks';
import { ChartsWarmUp } from './components/ChartsWarmUp';

const noNote = () => null;
const noSubscribe = () => () => {};

/*
 * The page: a sticky threshold bar (slider, minutes, key figures, status, errors), then the
 * threshold workspace (the mapping, folded, and the evidence: histogram and curve), then
 * the other panels as sections, one after another. A new panel is one more <section> in
 * the list under the workspace (with an id when a skip link should reach it).
 */
export function App({ store, urlSync }: { store: AppStore; urlSync?: UrlSync }) {
  // Controls follow the store at once; everything that shows a result renders from `state`,
  // a transition, so heavy charts never block the slider.
  const now = useAppState(store);
  const state = useShownState(store);
  const urlNote = useSyncExternalStore(urlSync?.subscribe ?? noSubscribe, urlSync?.getNote ?? noNote);
  const { dataset, result, preview } = state;
  const loading = state.status === 'loading';
  // Actions wait for the work under way at once (the store's status); what is drawn dims with
  // the state on screen, which may render a busy state a moment later (useShownState).
  const busy = loading || now.status === 'loading';
  // The session views ask the stats worker only once the figures of the settings are in.
  const figuresShown = !resultIsStale(now);
  // Once a new dataset is painted, DuckDB may read its file (it would slow the first render).
  useEffect(() => {
    if (dataset) store.datasetPainted();
  }, [store, dataset]);
  // Stable, so the memoised panels (the comparison, lateness) do not re-render on every store change.
  const choosePreset = useCallback((id: Parameters<AppStore['choosePreset']>[0]) => store.choosePreset(id), [store]);
  const setArrivalOrder = useCallback((on: boolean) => store.setLatenessArrivalOrder(on), [store]);
  const setAllowedLateness = useCallback((minutes: number) => store.setAllowedLateness(minutes), [store]);
  const loadDropped = useCallback((file: File) => void store.loadFile({ name: file.name, size: file.size, data: file }), [store]);

  return (
    <DropZone onFile={loadDropped}>
      <SkipLinks hasData={dataset !== null} />
      {now.status === 'empty' && <ChartsWarmUp />}
      <header className="app-header">
        <h1>Sessionizer</h1>
        <p className="tagline">Cut a clickstream into sessions by inactivity, and see what the threshold does. Files never leave this computer.</p>
        <LoadPanel store={store} />
      </header>
      <ThresholdBar store={store} now={now} shown={state} />
      {preview && <PreviewTable preview={preview} />}
      {state.question && <MappingQuestionPanel store={store} question={state.question} busy={busy} />}
      <main className="workspace" id="workspace">
        {dataset && (
          <section className="threshold-workspace" aria-label="Threshold workspace">
            {/* While the page asks about a file's columns, its selects are the only map-user and map-timestamp. */}
            {!state.question && <MappingPanel store={store} dataset={dataset} />}
            {urlNote && (
              <p className="url-note" role="note" data-testid="url-note">
                {urlNote}
              </p>
            )}
            {result && <ExplorePanel store={store} dataset={dataset} result={result} loading={loading} />}
          </section>
        )}
        {dataset && (
          <div className="sections">
            <section className="section" aria-label="Session rules">
              <RulesPanel
                store={store}
                rules={now.rules}
                preset={now.preset}
                presetZone={now.presetZone}
                presetCampaignColumn={now.presetCampaignColumn}
                columns={dataset.raw.columns}
              />
            </section>
            <section className="section" aria-label="Users left out">
              <ExcludePanel store={store} filters={now.userFilters} columns={dataset.raw.columns} result={state.result} />
            </section>
            <Figures dataset={dataset} result={result} />
            <Notes notes={dataset.notes} more={dataset.events.notes} />
            <TablesProblem problem={state.sqlProblem} />
            {result && now.dataset && (
              <section className="section" id="sessions" aria-label="The sessions">
                <DisplayTimeZoneSelect store={store} timeZone={now.displayTimeZone} />
                <SessionsOverTimePanel
                  store={store}
                  eventsTable={now.dataset.events.table}
                  gapMinutes={now.gapMinutes}
                  rules={now.rules}
                  userFilters={now.userFilters}
                  timeZone={now.displayTimeZone}
                  figuresShown={figuresShown}
                />
                <SessionListPanel
                  store={store}
                  eventsTable={now.dataset.events.table}
                  gapMinutes={now.gapMinutes}
                  rules={now.rules}
                  userFilters={now.userFilters}
                  timeZone={now.displayTimeZone}
                  figuresShown={figuresShown}
                />
              </section>
            )}
            {result && (
              <section className="section" id="user-sessions" aria-label="One user's sessions" tabIndex={-1}>
                <UserTimelinePanel
                  store={store}
                  timeline={state.timeline}
                  timelineUser={state.timelineUser}
                  compareTimeline={state.compareTimeline}
                  compareUser={state.compareUser}
                  resultKey={`${result.eventsTable}|${result.gapMinutes}`}
                  gapMinutes={result.gapMinutes}
                  rules={result.rules}
                  displayTimeZone={now.displayTimeZone}
                  loading={loading && state.timelineUser !== null}
                />
              </section>
            )}
            {result && <LanesPanel store={store} settings={now.lanes} view={shownLanes(state)} displayTimeZone={now.displayTimeZone} loading={loading} />}
            {result && (
              <ThresholdDiffPanel
                store={store}
                gapMinutes={result.gapMinutes}
                compareGapMinutes={now.compareGapMinutes}
                comparePreset={now.comparePreset}
                view={state.compareGapMinutes === null && state.comparePreset === null ? null : state.sessionDiff}
                loading={loading}
              />
            )}
            {result && <SessionDistributions dataset={dataset} result={result} loading={loading} />}
            <BreakdownPanel store={store} columns={dataset.raw.columns} column={now.breakdownColumn} breakdown={state.breakdown} loading={loading} />
            <PresetCompare
              comparison={comparisonIsStale(state) ? null : state.comparison}
              zone={state.presetZone}
              campaignColumn={state.presetCampaignColumn}
              currentSessions={result?.stats.sessions ?? null}
              chosen={now.preset}
              onApply={choosePreset}
            />
            {result && (
              <LatenessPanel
                arrivalOrder={now.lateness.arrivalOrder}
                onArrivalOrderChange={setArrivalOrder}
                summary={state.lateness.data?.summary ?? null}
                histograms={state.lateness.data?.histograms ?? null}
                allowedLatenessMinutes={now.lateness.allowedMinutes}
                onAllowedLatenessChange={setAllowedLateness}
                simulation={state.lateness.simulation?.value ?? null}
                thresholdMinutes={state.result?.gapMinutes ?? state.gapMinutes}
                loading={loading}
              />
            )}
            <FilesPanel store={store} dataset={dataset} busy={busy} onDownload={download} />
            <ExportPanel store={store} disabled={busy} columns={dataset.raw.columns} />
            {result && (
              <SqlPanel
                dataset={dataset}
                result={result}
                excludeUsersOverEvents={result.exclusion?.filters.maxEventsPerUser ?? null}
                columnMatchNotInSql={result.exclusion?.filters.columnMatch ?? null}
              />
            )}
            <SkippedRows dataset={dataset} />
          </div>
        )}
      </main>
    </DropZone>
  );
}
