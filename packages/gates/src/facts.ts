/**
 * Everything gates are evaluated on, gathered (effectfully) by the caller before the pure
 * evaluation: the clock, the request, the version and its provenance, and what was
 * recorded about it. Timestamps are ISO 8601 text, as the store records them; one that
 * does not parse counts as missing. Any fact may be missing: a gate that needs it blocks
 * and says so, it never passes by default.
 */
export interface GateFacts {
  /** The time of the evaluation: the injected clock's, so tests and `gantry why` agree. */
  readonly now: Date;
  readonly request: GateRequest;
  readonly version: VersionFacts;
  /** The version's verification in each upstream phase of this phase. */
  readonly upstreams?: readonly UpstreamFacts[];
  /** Approvals and rejections recorded for this phase (and this digest). */
  readonly approvals?: readonly ApprovalRecord[];
  /** Overrides recorded for this phase (and this digest). */
  readonly overrides?: readonly OverrideRecord[];
  /** Signature and attestation checks recorded for this digest. */
  readonly signatures?: readonly SignatureRecord[];
}

/** What started the promotion; `person` is a hand-made release (CLI, API, dashboard). */
export type TriggerKind = 'person' | 'policy' | 'webhook' | 'schedule';

export interface GateRequest {
  readonly trigger: TriggerKind;
  /** Who asked: the token holder's name for a person, e.g. `policy` for automation. */
  readonly requester?: string;
  /** Released by hand; defaults to `trigger === 'person'`. */
  readonly manual?: boolean;
}

export interface VersionFacts {
  /** The version's digest (`sha256:...`): approvals and signatures are for exactly this. */
  readonly digest: string;
  /** The version as people read it (a tag, a chart version). */
  readonly version?: string;
  /** Where it was built from: OCI annotations/labels or a CI report; any part may be unknown. */
  readonly source?: SourceCommitFacts;
}

export interface Person {
  readonly name?: string;
  readonly email?: string;
}

export interface SourceCommitFacts {
  readonly sha?: string;
  /** The full commit message. */
  readonly message?: string;
  readonly committer?: Person;
  readonly author?: Person;
  /** The branch it was built from; `refs/heads/` is ignored. */
  readonly branch?: string;
}

/**
 * The version's verification in an upstream phase: the store's verification states, and
 * `absent` when the version never reached that phase. Without verification configured
 * there, the caller reports a succeeded promotion as `verified` at its end.
 */
export type UpstreamState = 'verified' | 'pending' | 'running' | 'failed' | 'absent';

export interface UpstreamFacts {
  readonly phase: string;
  readonly state: UpstreamState;
  readonly verifiedAt?: string;
  /** The digest this verification is for; another digest's does not count. */
  readonly digest?: string;
  /** Why it failed, for the verdict. */
  readonly reason?: string;
}

/** One approval or rejection, as recorded. */
export interface ApprovalRecord {
  /** The token holder's name. */
  readonly by: string;
  /** Their role when they decided (`viewer`, `promoter`, `admin`). */
  readonly role: string;
  readonly at: string;
  readonly decision: 'approve' | 'reject';
  readonly comment?: string;
  /** The version decided on: an approval is for one exact digest. */
  readonly digest: string;
}

/** An admin's override of a window gate (closed schedule or freeze), with a reason. */
export interface OverrideRecord {
  /** The gate's name. */
  readonly gate: string;
  readonly by: string;
  readonly role: string;
  readonly at: string;
  readonly reason: string;
  /** The version it is for; absent: any version of this phase. */
  readonly digest?: string;
  /** When it stops counting; absent: never. */
  readonly expiresAt?: string;
}

/**
 * A recorded signature or attestation check (`@gantry/signatures`' `SignatureResult`
 * fits: pass it as is). `unavailable` means the registry could not be asked: the gate
 * waits, it never passes on it.
 */
export interface SignatureRecord {
  readonly verified: boolean;
  readonly reason: string;
  /** The key that verified it. */
  readonly keyId?: string;
  /** The predicate type of a verified attestation. */
  readonly predicateType?: string;
  readonly kind?: 'signature' | 'attestation';
  readonly outcome?: 'verified' | 'refused' | 'unavailable';
  readonly code?: string;
  /** The digest it was checked for (or in `evidence.digest`); another digest's does not count. */
  readonly digest?: string;
  readonly evidence?: { readonly digest?: string };
  /** The gate it was checked for; absent: any signature gate may read it. */
  readonly gate?: string;
  readonly checkedAt?: string;
}

/** Whether the request is a hand-made release. */
export function isManual(request: GateRequest): boolean {
  return request.manual ?? request.trigger === 'person';
}

/** An ISO timestamp as epoch ms, or undefined when it is missing or does not parse. */
export function instantOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : undefined;
}
