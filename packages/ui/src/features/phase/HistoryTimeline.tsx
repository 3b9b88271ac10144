import type { ApiPromotion } from '@gantry/api';
import { Empty } from '../../shared/Empty.js';
import { canRollBackTo, commitUrl } from './history-format.js';
import { HistoryItem } from './HistoryItem.js';

/** The phase's promotions, newest first; earlier successful ones offer a rollback. */
export function HistoryTimeline(props: {
  items: readonly ApiPromotion[];
  currentDigest: string | undefined;
  /** The phase's current commit: its link is the model for the others'. */
  currentCommit?: { id: string; url?: string } | undefined;
  blockedReason: string | undefined;
  onRollback: (p: ApiPromotion) => void;
}) {
  if (props.items.length === 0)
    return <Empty title="No promotions yet">Promotions of this phase will appear here as they happen.</Empty>;
  return (
    <ol className="history" aria-label="History">
      {props.items.map((p) => (
        <HistoryItem
          key={p.id}
          promotion={p}
          commitHref={p.commitSha ? commitUrl(props.currentCommit, p.commitSha) : undefined}
          {...(canRollBackTo(p, props.currentDigest)
            ? { rollback: { onClick: () => props.onRollback(p), blockedReason: props.blockedReason } }
            : {})}
        />
      ))}
    </ol>
  );
}
