import { memo, useMemo } from 'react';
import type { AppStore } from '../state/app-store';
import { browserTimeZone, displayZones } from '../domain/display-zone';

/** The zone the page shows times in: UTC, this browser's zone, or any IANA zone. */
export const DisplayTimeZoneSelect = memo(function DisplayTimeZoneSelect({ store, timeZone }: { store: AppStore; timeZone: string }) {
  const zones = useMemo(displayZones, []);
  const browser = browserTimeZone();
  return (
    <label className="display-zone">
      <span>Show times in</span>
      <select data-testid="display-timezone" value={timeZone} onChange={(e) => store.setDisplayTimeZone(e.currentTarget.value)}>
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone === browser && zone !== 'UTC' ? `${zone} (this browser)` : zone}
          </option>
        ))}
      </select>
    </label>
  );
});
