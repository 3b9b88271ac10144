import { ApiUnreachableError } from '@gantry/client';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RereadButton } from './RereadButton.js';

afterEach(cleanup);

describe('RereadButton', () => {
  it('GIVEN a click THEN it reads once, is disabled while reading, and is ready again after', async () => {
    let calls = 0;
    let finish = () => {};
    render(
      <RereadButton
        reread={() => {
          calls++;
          return new Promise<void>((r) => {
            finish = r;
          });
        }}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Re-read now' }));
    const busy = await screen.findByRole('button', { name: 'Reading…' });
    expect((busy as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(busy);
    expect(calls).toBe(1);
    finish();
    expect(await screen.findByRole('button', { name: 'Re-read now' })).toBeTruthy();
  });

  it('GIVEN the server does not answer THEN it says so next to the button', async () => {
    render(
      <RereadButton
        reread={async () => {
          throw new ApiUnreachableError('http://127.0.0.1:8080', new Error('connection refused'));
        }}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Re-read now' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The Gantry server does not answer');
  });
});
