import { useEffect } from 'react';
import type { AppStore } from './state/app-store';
import { useAppState, useShownState } from './state/useAppState';
import { writeGapToUrl } from './state/url-state';
import { StatusBar } from './components/StatusBar';
import { LoadPanel } from './components/LoadPanel';
import { DropZone } from './components/DropZone';
import { ErrorBanner } from './components/ErrorBanner';
import { MappingPanel } from './components/MappingPanel';
import { MappingQuestionPanel } from './components/MappingQuestion';
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
      {state.question && <MappingQuestionPanel store={store} question={state.question} busy={state.status === 'loading'} />}
      <main className="workspace">
        <section className="controls" aria-label="Settings">
          {/* While the page asks about a file's columns, its selects are the only map-user and map-timestamp. */}
          {dataset && !state.question && <MappingPanel store={store} dataset={dataset} />}
          <ThresholdControl store={store} gapMinutes={now.gapMinutes} />
          {dataset && (
            <RulesPanel
              store={store}
              rules={now.rules}
              gapMinutes={now.gapMinutes}
              presetZone={now.presetZone}
              presetCampaignColumn={now.presetCampaignColumn}
              columns={dataset.raw.columns}
            />
          )}
        </section>
        {dataset && (
          <>
            <Figures dataset={dataset} result={result} />
            <Notes notes={dataset.notes} more={dataset.events.notes} />
            <FilesPanel store={store} dataset={dataset} busy={state.status === 'loading'} onDownload={download} />
            {result && <ExplorePanel store={store} dataset={dataset} result={result} loading={state.status === 'loading'} />}
            <TablesProblem problem={state.sqlProblem} />
            {result && (
              <UserTimelinePanel
                store={store}
                timeline={state.timeline}
                timelineUser={state.timelineUser}
                resultKey={`${result.eventsTable}|${result.gapMinutes}`}
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
            <PresetCompare comparison={state.comparison} zone={state.presetZone} campaignColumn={state.presetCampaignColumn} />
            <ExportPanel store={store} disabled={state.status === 'loading'} columns={dataset.raw.columns} />
            {result && <SqlPanel dataset={dataset} result={result} />}
            <SkippedRows dataset={dataset} />
          </>
        )}
      </main>
    </DropZone>
  );
}
