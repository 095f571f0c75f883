// Every view fills its sections from the API the same way; one place keeps the look the same.
import { errorEl, loadingEl } from './dom.ts';
import { t } from './i18n.ts';

/**
 * Shows "loading" in `box`, then awaits `fetch`. On failure `box` shows the error with a
 * retry button that calls `retry` (or what `failed` draws for it) and this resolves to
 * undefined, so the caller just returns; on success `box` is left for the caller to fill.
 */
export async function loadInto<T>(box: Element, fetch: () => Promise<T>, retry: () => void, failed?: (err: unknown) => Node | undefined): Promise<T | undefined> {
  box.replaceChildren(loadingEl(t('loading')));
  try {
    return await fetch();
  } catch (err) {
    box.replaceChildren(failed?.(err) ?? errorEl(`${t('error')}: ${(err as Error).message}`, retry, t('retry')));
    return undefined;
  }
}
