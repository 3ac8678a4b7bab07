import type { FileSource } from './raw-table';
import type { Preview } from './types';

/**
 * How long a load runs before the page previews its file's first rows. Made at once, the
 * preview's sniff and render held the read's start back (~30-70 ms of a 1M load); a load
 * done sooner needs none.
 */
export const PREVIEW_AFTER_MS = 250;

/**
 * Shows `source`'s preview after PREVIEW_AFTER_MS if its load is still running. A preview
 * that cannot be made is null (no table): the load itself says what is wrong with the file.
 */
export function previewLater(
  previewOf: (source: FileSource) => Promise<Preview | null>,
  source: FileSource,
  stillLoading: () => boolean,
  show: (preview: Preview | null) => void,
): void {
  setTimeout(() => {
    if (!stillLoading()) return;
    void previewOf(source)
      .catch(() => null)
      .then((preview) => {
        if (stillLoading()) show(preview);
      });
  }, PREVIEW_AFTER_MS);
}
