import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dialog } from './Dialog.js';

afterEach(cleanup);

function renderDialog(o: { confirmDisabled?: boolean } = {}) {
  const onClose = vi.fn();
  const onConfirm = vi.fn();
  const opener = document.createElement('button');
  document.body.append(opener);
  opener.focus();
  const view = render(
    <Dialog title="Promote app/production" onClose={onClose} onConfirm={onConfirm} confirmDisabled={o.confirmDisabled}>
      <input aria-label="note" />
    </Dialog>,
  );
  return { onClose, onConfirm, opener, view };
}

describe('Dialog', () => {
  it('GIVEN an open dialog THEN it has focus; WHEN Enter THEN confirms; WHEN Escape THEN closes', () => {
    const { onClose, onConfirm } = renderDialog();
    expect(document.activeElement).toBe(screen.getByRole('dialog'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'Enter' });
    expect(onConfirm).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('GIVEN confirming is disabled WHEN Enter THEN nothing happens', () => {
    const { onConfirm } = renderDialog({ confirmDisabled: true });
    fireEvent.keyDown(screen.getByLabelText('note'), { key: 'Enter' });
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('GIVEN focus on the last control WHEN Tab THEN focus wraps to the first; Shift+Tab wraps back', () => {
    renderDialog();
    const confirm = screen.getByRole('button', { name: 'Confirm' });
    confirm.focus();
    fireEvent.keyDown(confirm, { key: 'Tab' });
    expect(document.activeElement).toBe(screen.getByLabelText('note'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(confirm);
  });

  it('GIVEN the dialog closes THEN focus returns to what opened it', () => {
    const { opener, view } = renderDialog();
    view.unmount();
    expect(document.activeElement).toBe(opener);
  });
});
