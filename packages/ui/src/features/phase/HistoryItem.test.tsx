import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { promotion } from '../../shared/fixtures.js';
import { HistoryItem } from './HistoryItem.js';

afterEach(cleanup);

const SHA = 'c0ffee'.padEnd(40, '0');

describe('HistoryItem', () => {
  it("GIVEN a promotion with the server's links WHEN shown THEN its commit, image and pull request are anchors to them", () => {
    const p = {
      ...promotion({ state: 'succeeded', commitSha: SHA }),
      proposal: {
        provider: 'github' as const,
        repository: 'acme/config',
        number: 7,
        url: 'https://api-less.example/7',
        state: 'merged' as const,
      },
      links: {
        commit: `https://git.example.com/config/commit/${SHA}`,
        image: 'https://registry.example.com/app@sha256:1',
        proposal: 'https://github.com/acme/config/pull/7',
      },
    };
    render(
      <ul>
        <HistoryItem promotion={p as never} commitHref="https://derived.example/ignored" />
      </ul>,
    );
    expect(screen.getByRole('link', { name: SHA.slice(0, 8) }).getAttribute('href')).toBe(
      `https://git.example.com/config/commit/${SHA}`,
    );
    expect(screen.getByRole('link', { name: 'image' }).getAttribute('href')).toBe(
      'https://registry.example.com/app@sha256:1',
    );
    expect(screen.getByRole('link', { name: '#7' }).getAttribute('href')).toBe('https://github.com/acme/config/pull/7');
  });

  it('GIVEN a promotion without links WHEN shown THEN the commit link derived by the phase is used, and no image anchor', () => {
    render(
      <ul>
        <HistoryItem
          promotion={promotion({ state: 'succeeded', commitSha: SHA })}
          commitHref={`https://derived.example/${SHA}`}
        />
      </ul>,
    );
    expect(screen.getByRole('link', { name: SHA.slice(0, 8) }).getAttribute('href')).toBe(
      `https://derived.example/${SHA}`,
    );
    expect(screen.queryByRole('link', { name: 'image' })).toBeNull();
  });

  it('GIVEN an open proposal whose head has checks WHEN shown THEN how many passed and their state; none shown without checks', () => {
    const proposal = {
      provider: 'github' as const,
      repository: 'acme/config',
      number: 8,
      url: 'https://github.com/acme/config/pull/8',
      state: 'open' as const,
    };
    const { container, rerender } = render(
      <ul>
        <HistoryItem
          promotion={
            {
              ...promotion({ state: 'proposed' as never }),
              proposal: { ...proposal, checks: { state: 'pending', total: 3, passed: 1 } },
            } as never
          }
        />
      </ul>,
    );
    const checks = container.querySelector('.proposal-checks');
    expect(checks?.textContent).toContain('checks 1/3 pending');
    expect(checks?.getAttribute('data-checks-state')).toBe('pending');
    rerender(
      <ul>
        <HistoryItem promotion={{ ...promotion({ state: 'proposed' as never }), proposal } as never} />
      </ul>,
    );
    expect(container.querySelector('.proposal-checks')).toBeNull();
  });
});
