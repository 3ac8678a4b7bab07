import { useSyncExternalStore } from 'react';
import type { AppStore } from './state/app-store';
import { useAppState, useShownState } from './state/useAppState';
import type { UrlSync } from './state/url-sync';
import { LoadPanel } from './components/LoadPanel';
import { DropZone } from './components/DropZone';
import { ThresholdBar } from './components/ThresholdBar';
import { MappingPanel } from './components/MappingPanel';
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
import { SessionDistributions } from './components/SessionDistributions';
import { SkipLinks } from './components/SkipLinks';

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

  return (
    <DropZone onFile={(file) => void store.loadFile({ name: file.name, size: file.size, data: file })}>
      <SkipLinks hasData={dataset !== null} />
      <header className="app-header">
        <h1>Sessionizer</h1>
        <p className="tagline">Cut a clickstream into sessions by inactivity, and see what the threshold does. Files never leave this computer.</p>
        <LoadPanel store={store} busy={loading} />
      </header>
      <ThresholdBar store={store} now={now} shown={state} />
      {preview && <PreviewTable preview={preview} />}
      <main className="workspace" id="workspace">
        {dataset && (
          <section className="threshold-workspace" aria-label="Threshold workspace">
            <MappingPanel store={store} dataset={dataset} />
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
                gapMinutes={now.gapMinutes}
                presetZone={now.presetZone}
                presetCampaignColumn={now.presetCampaignColumn}
                columns={dataset.raw.columns}
              />
            </section>
            <Figures dataset={dataset} result={result} />
            <Notes notes={dataset.notes} more={dataset.events.notes} />
            <TablesProblem problem={state.sqlProblem} />
            {result && (
              <section className="section" id="user-sessions" aria-label="One user's sessions" tabIndex={-1}>
                <UserTimelinePanel
                  store={store}
                  timeline={state.timeline}
                  timelineUser={state.timelineUser}
                  resultKey={`${result.eventsTable}|${result.gapMinutes}`}
                  loading={loading && state.timelineUser !== null}
                />
              </section>
            )}
            {result && <SessionDistributions dataset={dataset} result={result} loading={loading} />}
            <PresetCompare comparison={state.comparison} zone={state.presetZone} campaignColumn={state.presetCampaignColumn} />
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
                loading={loading}
              />
            )}
            <FilesPanel store={store} dataset={dataset} busy={loading} onDownload={download} />
            <ExportPanel store={store} disabled={loading} columns={dataset.raw.columns} />
            {result && <SqlPanel dataset={dataset} result={result} />}
            <SkippedRows dataset={dataset} />
          </div>
        )}
      </main>
    </DropZone>
  );
}
