import type { ReactNode } from 'react';
import { useEffect, useId, useRef } from 'react';
import { focusableIn, nextFocusIndex } from './focus-trap.js';

export interface DialogProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly onClose: () => void;
  /** Enter confirms (outside buttons and text areas) when given and not disabled. */
  readonly onConfirm?: () => void;
  readonly confirmLabel?: string;
  readonly confirmDisabled?: boolean;
  /** Shown next to the buttons: why confirming is not possible. */
  readonly footerNote?: ReactNode;
}

/**
 * A modal dialog usable from the keyboard: focus moves in and stays in (Tab wraps),
 * Escape closes, Enter confirms, and focus returns where it was on close.
 */
export function Dialog(props: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const root = ref.current;
    // the dialog itself takes focus: Enter confirms at once, Tab walks into the controls
    root?.focus();
    const onKey = (e: KeyboardEvent) => {
      const p = latest.current;
      const box = ref.current;
      if (!box) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        p.onClose();
      } else if (e.key === 'Tab') {
        const items = focusableIn(box);
        const next =
          items[nextFocusIndex(items.indexOf(document.activeElement as HTMLElement), items.length, e.shiftKey)];
        e.preventDefault();
        next?.focus();
      } else if (e.key === 'Enter' && p.onConfirm && !p.confirmDisabled) {
        const t = e.target as HTMLElement;
        if (t.closest('button, a, textarea')) return;
        e.preventDefault();
        p.onConfirm();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      before?.focus?.();
    };
  }, []);

  return (
    <div className="backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={ref} tabIndex={-1}>
        <h2 id={titleId}>{props.title}</h2>
        <div className="dialog-body">{props.children}</div>
        <div className="dialog-footer">
          {props.footerNote && <span className="footer-note">{props.footerNote}</span>}
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          {props.onConfirm && (
            <button type="button" className="primary" disabled={props.confirmDisabled} onClick={props.onConfirm}>
              {props.confirmLabel ?? 'Confirm'}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
