import pc from 'picocolors';
import type { FollowResult } from './follow.js';
import type { PromotionMatch } from './source.js';
import type { TrackedPromotion, TrackStep } from './steps.js';

type Colors = ReturnType<typeof pc.createColors>;

/** `12:00:07` of an ISO timestamp (UTC, as recorded). */
const clockOf = (at: string) => (at.length >= 19 ? at.slice(11, 19) : at);

function word(s: TrackStep): string {
  switch (s.kind) {
    case 'promotion':
      return s.state;
    case 'deployment':
      return s.state === 'pending' ? 'awaiting deployer' : s.state === 'failed' ? 'deploy failed' : s.state;
    case 'check':
      return `check ${s.status}`;
    case 'verification':
      return s.state === 'running'
        ? 'verifying'
        : s.state === 'failed'
          ? 'verification failed'
          : s.state === 'pending'
            ? 'verification pending'
            : s.state;
  }
}

function detail(s: TrackStep): string {
  switch (s.kind) {
    case 'promotion':
      if (s.error) return `[${s.error.code}] ${s.error.message}`;
      if (s.proposal) return `${s.state === 'succeeded' ? 'merged ' : ''}${s.proposal}`;
      return s.commit && s.state === 'pushed' ? `commit ${s.commit.slice(0, 12)}` : '';
    case 'deployment':
      return [s.deployer, s.message?.split('\n')[0]].filter(Boolean).join(': ');
    case 'check':
      return `${s.name}${s.reason ? `: ${s.reason}` : ''}`;
    case 'verification':
      return `run ${s.run}${s.reason ? `: ${s.reason}` : ''}`;
  }
}

function tint(c: Colors, s: TrackStep, text: string): string {
  const bad =
    (s.kind === 'promotion' && (s.state === 'failed' || s.state === 'superseded')) ||
    (s.kind === 'deployment' && (s.state === 'failed' || s.state === 'degraded')) ||
    (s.kind === 'check' && s.status === 'failed') ||
    (s.kind === 'verification' && s.state === 'failed');
  const good =
    (s.kind === 'deployment' && s.state === 'healthy') ||
    (s.kind === 'check' && s.status === 'passed') ||
    (s.kind === 'verification' && s.state === 'verified') ||
    (s.kind === 'promotion' && s.state === 'succeeded');
  return bad ? c.red(text) : good ? c.green(text) : text;
}

/** One line per step for people: time, what happened, and its detail. */
export function stepLine(s: TrackStep, color: boolean): string {
  const c = pc.createColors(color);
  const d = detail(s);
  return `${c.dim(clockOf(s.at))}  ${tint(c, s, word(s).padEnd(20))}${d ? ` ${d}` : ''}`.trimEnd().concat('\n');
}

export function headerLine(p: TrackedPromotion): string {
  return `promotion ${p.id}: ${p.pipeline}/${p.phase} ${p.fromVersion ?? '(none)'} -> ${p.toVersion}\n`;
}

export function waitingLine(pipeline: string, phase: string, match: PromotionMatch): string {
  const what = match.digest ? ` to ${match.digest}` : match.commit ? ` with commit ${match.commit}` : '';
  return `waiting for a promotion of ${pipeline}/${phase}${what}\n`;
}

/** `--json`: one object per line, each naming the promotion it is about. */
export function stepJson(s: TrackStep, p: TrackedPromotion): string {
  const { kind, ...rest } = s;
  return `${JSON.stringify({ type: kind, ...rest, promotion: p.id, pipeline: p.pipeline, phase: p.phase })}\n`;
}

export function waitingJson(pipeline: string, phase: string, match: PromotionMatch): string {
  return `${JSON.stringify({ type: 'waiting', pipeline, phase, ...match })}\n`;
}

/** The last `--json` line: how tracking ended and the exit code it gives. */
export function resultJson(r: FollowResult, exitCode: number, timeoutText: string): string {
  const p = r.promotion;
  const where = p ? { promotion: p.id, pipeline: p.pipeline, phase: p.phase, version: p.toVersion } : {};
  const body =
    r.kind === 'verdict'
      ? { type: 'result', outcome: r.verdict.outcome, reason: r.verdict.reason, exitCode, ...where }
      : { type: 'result', outcome: 'timeout', reason: `no verdict within ${timeoutText}`, exitCode, ...where };
  return `${JSON.stringify(body)}\n`;
}
