import { useSince } from './clock.js';
import { formatAge } from './format.js';

/**
 * How long ago `since` was, counting up live (`42s`, `5m`, ...) from the page's one clock. With no
 * `since` but a `fallbackMs` (an age as the server measured it), that age, fixed.
 */
export function Age(props: {
  since: number | string | undefined;
  fallbackMs?: number | undefined;
  suffix?: string;
  title?: string;
  className?: string;
}) {
  const since = typeof props.since === 'string' ? Date.parse(props.since) : props.since;
  const known = since !== undefined && !Number.isNaN(since) ? since : undefined;
  const live = useSince(known, formatAge);
  const text = live ?? (props.fallbackMs !== undefined ? formatAge(props.fallbackMs) : undefined);
  if (text === undefined) return null;
  return (
    <time
      className={props.className ?? 'age'}
      dateTime={known !== undefined ? new Date(known).toISOString() : undefined}
      title={props.title}
    >
      {text}
      {props.suffix ?? ''}
    </time>
  );
}
