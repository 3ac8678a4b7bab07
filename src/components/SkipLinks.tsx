import { memo } from 'react';
/** Links seen only when focused: the first Tab stops, so a keyboard reaches the main parts at once. */
export const SkipLinks = memo(function SkipLinks({ hasData }: { hasData: boolean }) {
  return (
    <nav className="skip-links" aria-label="Skip links">
      <a href="#threshold-bar">Skip to the threshold</a>
      {hasData && <a href="#workspace">Skip to the charts</a>}
      {hasData && <a href="#user-sessions">Skip to a user's sessions</a>}
    </nav>
  );
});
