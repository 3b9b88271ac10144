/** A promotion's pull request (migration 0011_proposals). */
export interface ProposalsTable {
  promotion_id: string;
  /** `github` | `gitlab` */
  provider: string;
  /** `owner/name` on the provider. */
  repository: string;
  number: number;
  url: string;
  /** open | merged | closed | superseded (a newer promotion took over the pull request) */
  state: string;
  head_branch: string;
  head_sha: string;
  base_branch: string;
  merged_commit: string | null;
  /** The ETag of the last read, for conditional polling. */
  etag: string | null;
  /** JSON `{state, total, passed}` of the head's checks (migration 0012_proposal_checks). */
  checks: string | null;
  created_at: string;
  updated_at: string;
}
