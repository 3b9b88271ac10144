import type { ApiPipelinePage } from '@gantry/api';
import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { FIRST_ROWS, takeEarlyFirstRows } from '../../api/early-fetch.js';
import type { PipelineSort } from './sort.js';

/**
 * The overview's first rows from a small page the server sorts (the same order as the
 * dashboard's), asked while `wanted` (the whole list is still loading): with 10,000 pipelines
 * the whole list takes a second to arrive and parse, a page of 60 a few milliseconds. A failed
 * page is no error: the whole list follows.
 */
export function useFirstRows(
  sort: PipelineSort,
  wanted: boolean,
): { page: ApiPipelinePage | undefined; settled: Promise<void> } {
  const { client, token } = useApi();
  const [page, setPage] = useState<{ sort: PipelineSort; page: ApiPipelinePage } | undefined>(undefined);
  const [settled] = useState(settledSignal);
  useEffect(() => {
    if (!wanted) {
      settled.resolve();
      return;
    }
    let live = true;
    const asked = takeEarlyFirstRows(token, sort) ?? client.pipelinePage({ sort, limit: FIRST_ROWS });
    asked.then(
      (p) => {
        if (live && p) setPage({ sort, page: p });
        else settled.resolve();
      },
      () => settled.resolve(),
    );
    return () => {
      live = false;
    };
  }, [wanted, sort, client, token, settled]);
  const shown = wanted && page?.sort === sort ? page.page : undefined;
  useEffect(() => {
    // painted: the frame after the commit that shows them
    if (shown) requestAnimationFrame(() => setTimeout(settled.resolve, 0));
  }, [shown, settled]);
  return { page: shown, settled: settled.promise };
}

/**
 * Resolved once the first rows are painted, or there will be none; at the latest after
 * `MAX_WAIT_MS`, so a slow page never holds the whole list back for long.
 */
function settledSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  setTimeout(resolve, MAX_WAIT_MS);
  return { promise, resolve };
}

const MAX_WAIT_MS = 1000;
