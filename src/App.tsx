import { useEffect } from 'react';
import type { AppStore } from './state/app-store';
import { useAppState, useShownState } from './state/useAppState';
import { writeGapToUrl } from './state/url-state';
import { shownLanes } from './state/views';
import { StatusBar } from './components/StatusBar';
import { LoadPanel } from './components/LoadPanel';
import { DropZone } from './components/DropZone';
import { ErrorBanner } from './components/ErrorBanner';
import { MappingPanel } from './components/MappingPanel';
import { ThresholdControl } from './components/ThresholdControl';
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

export function App({ store }: { store: AppStore }) {
  // Controls follow the store at once; everything that shows a result renders from `state`,
  // a transition, so heavy charts never block the slider.
  const now = useAppState(store);
  const state = useShownState(store);
  const { dataset, result, preview } = state;

  useEffect(() => {
    if (result) writeGapToUrl(result.gapMinutes);
  }, [result]);

  return (
    <DropZone onFile={(file) => void store.loadFile({ name: file.name, size: file.size, data: file })}>
      <header className="app-header">
        <h1>Sessionizer</h1>
        <p className="tagline">Cut a clickstream into sessions by inactivity, and see what the threshold does. Files never leave this computer.</p>
      </header>
      <StatusBar state={state} />
      <ErrorBanner message={now.error} />
      <LoadPanel store={store} busy={state.status === 'loading'} />
      {preview && <PreviewTable preview={preview} />}
      <main className="workspace">
        <section className="controls" aria-label="Settings">
          {dataset && <MappingPanel store={store} dataset={dataset} />}
          <ThresholdControl store={store} gapMinutes={now.gapMinutes} />
          <DisplayTimeZoneSelect store={store} timeZone={now.displayTimeZone} />
          {dataset && (
            <RulesPanel
              store={store}
              rules={now.rules}
              preset={now.preset}
              presetZone={now.presetZone}
              presetCampaignColumn={now.presetCampaignColumn}
              columns={dataset.raw.columns}
            />
          )}
          {dataset && <ExcludePanel store={store} filters={now.userFilters} columns={dataset.raw.columns} result={state.result} />}
        </section>
        {dataset && (
          <>
            <Figures dataset={dataset} result={result} />
            <Notes notes={dataset.notes} more={dataset.events.notes} />
            <FilesPanel store={store} dataset={dataset} busy={state.status === 'loading'} onDownload={download} />
            {result && <ExplorePanel store={store} dataset={dataset} result={result} loading={state.status === 'loading'} />}
            <TablesProblem problem={state.sqlProblem} />
            {result && now.dataset && (
              <>
                <SessionsOverTimePanel
                  store={store}
                  eventsTable={now.dataset.events.table}
                  gapMinutes={now.gapMinutes}
                  rules={now.rules}
                  userFilters={now.userFilters}
                  timeZone={now.displayTimeZone}
                />
                <SessionListPanel
                  store={store}
                  eventsTable={now.dataset.events.table}
                  gapMinutes={now.gapMinutes}
                  rules={now.rules}
                  userFilters={now.userFilters}
                  timeZone={now.displayTimeZone}
                />
              </>
            )}
            {result && (
              <LanesPanel
                store={store}
                settings={now.lanes}
                view={shownLanes(state)}
                displayTimeZone={now.displayTimeZone}
                loading={state.status === 'loading'}
              />
            )}
            {result && (
              <ThresholdDiffPanel
                store={store}
                gapMinutes={result.gapMinutes}
                compareGapMinutes={now.compareGapMinutes}
                comparePreset={now.comparePreset}
                view={state.compareGapMinutes === null && state.comparePreset === null ? null : state.sessionDiff}
                loading={state.status === 'loading'}
              />
            )}
            {result && (
              <UserTimelinePanel
                store={store}
                timeline={state.timeline}
                timelineUser={state.timelineUser}
                compareTimeline={state.compareTimeline}
                compareUser={state.compareUser}
                resultKey={`${result.eventsTable}|${result.gapMinutes}`}
                gapMinutes={result.gapMinutes}
                rules={result.rules}
                displayTimeZone="UTC"
                loading={state.status === 'loading' && state.timelineUser !== null}
              />
            )}
            {result && (
              <LatenessPanel
                arrivalOrder={now.lateness.arrivalOrder}
                onArrivalOrderChange={(on) => store.setLatenessArrivalOrder(on)}
                summary={state.lateness.data?.summary ?? null}
                histograms={state.lateness.data?.histograms ?? null}
                allowedLatenessMinutes={now.lateness.allowedMinutes}
                onAllowedLatenessChange={(m) => store.setAllowedLateness(m)}
                simulation={state.lateness.simulation?.value ?? null}
                thresholdMinutes={state.result?.gapMinutes ?? state.gapMinutes}
                loading={state.status === 'loading'}
              />
            )}
            <BreakdownPanel
              store={store}
              columns={dataset.raw.columns}
              column={now.breakdownColumn}
              breakdown={state.breakdown}
              loading={state.status === 'loading'}
            />
            <PresetCompare
              comparison={state.comparison}
              zone={state.presetZone}
              campaignColumn={state.presetCampaignColumn}
              currentSessions={result?.stats.sessions ?? null}
              chosen={now.preset}
              onApply={(id) => store.choosePreset(id)}
            />
            <ExportPanel store={store} disabled={state.status === 'loading'} columns={dataset.raw.columns} />
            {result && (
              <SqlPanel
                dataset={dataset}
                result={result}
                excludeUsersOverEvents={result.exclusion?.filters.maxEventsPerUser ?? null}
                columnMatchNotInSql={result.exclusion?.filters.columnMatch ?? null}
              />
            )}
            <SkippedRows dataset={dataset} />
          </>
        )}
      </main>
    </DropZone>
  );
}
