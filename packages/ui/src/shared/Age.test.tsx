import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Age } from './Age.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  vi.setSystemTime(new Date('2030-01-01T12:00:00.000Z'));
});

describe('Age', () => {
  it('GIVEN a version that arrived 30 s ago THEN it counts up each second, and after 150 s says 2m (never 3m)', () => {
    const { container } = render(<Age since="2030-01-01T11:59:30.000Z" />);
    const text = () => container.textContent;
    expect(text()).toBe('30s');
    act(() => vi.advanceTimersByTime(1_000));
    expect(text()).toBe('31s');
    act(() => vi.advanceTimersByTime(29_000));
    expect(text()).toBe('1m');
    act(() => vi.advanceTimersByTime(90_000));
    expect(text()).toBe('2m');
    act(() => vi.advanceTimersByTime(29_999));
    expect(text()).toBe('2m');
    act(() => vi.advanceTimersByTime(1));
    expect(text()).toBe('3m');
  });

  it('GIVEN no time but an age measured by the server THEN that age, fixed', () => {
    const { container } = render(<Age since={undefined} fallbackMs={150_000} />);
    expect(container.textContent).toBe('2m');
    act(() => vi.advanceTimersByTime(60_000));
    expect(container.textContent).toBe('2m');
  });
});
