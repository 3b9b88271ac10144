import { useEffect, useRef } from 'react';

/** How long a page may take to show its heading (its code and data load first). */
const WAIT_MS = 10_000;

/**
 * On navigation (not the first load) focus moves to the new page's heading, as a screen reader
 * or keyboard user expects of a page change: they hear where they are and Tab on from there.
 * Pages load their code and data first, so this waits for the heading to appear.
 */
export function useFocusHeadingOnNavigate(place: string, selector: string): void {
  // the place the page was opened at, then the last one focused: an effect run again for the same
  // place (React's strict mode mounts twice) moves nothing
  const last = useRef(place);
  useEffect(() => {
    if (last.current === place) return;
    last.current = place;
    const focus = (): boolean => {
      const el = document.querySelector<HTMLElement>(selector);
      if (!el) return false;
      if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
      el.focus();
      return true;
    };
    if (focus()) return;
    const observer = new MutationObserver(() => {
      if (focus()) observer.disconnect();
    });
    observer.observe(document.body, { childList: true, subtree: true });
    const timer = setTimeout(() => observer.disconnect(), WAIT_MS);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [place, selector]);
}
