#!/usr/bin/env bash
# Gantry's GitHub Action: report what CI built, promote it, follow it until verified.
#
# Every step is a `gantry` command a person could run by hand (each is printed before it runs,
# as `+ gantry ...`); this script only chooses which from the action's inputs, which action.yml
# passes as INPUT_<NAME> variables (dashes as underscores), and writes the step's outputs to
# $GITHUB_OUTPUT. Source facts (commit, branch, repository, run URL) are not inputs: the CLI reads
# them from GitHub's variables (GITHUB_SHA, GITHUB_REF_NAME, ...) and the commit's author, message
# and time from the checkout.
#
# GANTRY_CLI overrides the command run as `gantry` (e.g. "node /path/to/bin/gantry.js"); without
# it, a `gantry` on the PATH of the wanted version is used, else that version is installed from npm.
set -euo pipefail

fail() {
  echo "gantry action: $*" >&2
  exit 2
}

input() {
  local name="INPUT_$1"
  printf '%s' "${!name:-}"
}

# A boolean input as GitHub passes it: the text "true" or "false".
enabled() {
  local value
  value="$(input "$1")"
  case "${value,,}" in
  true | yes | on | 1) return 0 ;;
  false | no | off | 0 | '') return 1 ;;
  *) fail "input ${1,,} is \"$value\"; give true or false" ;;
  esac
}

SERVER="$(input SERVER)"
SERVER="${SERVER:-${GANTRY_SERVER:-}}"
TOKEN="$(input TOKEN)"
TOKEN="${TOKEN:-${GANTRY_TOKEN:-}}"
PROMOTE_TOKEN="$(input PROMOTE_TOKEN)"
PROMOTE_TOKEN="${PROMOTE_TOKEN:-$TOKEN}"
VERSION="$(input VERSION)"
IMAGE="$(input IMAGE)"
DIGEST="$(input DIGEST)"
CHART="$(input CHART)"
CHART_VERSION="$(input CHART_VERSION)"
PIPELINE="$(input PIPELINE)"
PHASE="$(input PHASE)"
STEPS="$(input STEPS)"
REASON="$(input REASON)"
TIMEOUT="$(input TIMEOUT)"
TIMEOUT="${TIMEOUT:-15m}"

DO_REPORT=false DO_PROMOTE=false DO_TRACK=false
if enabled REPORT; then DO_REPORT=true; fi
if enabled PROMOTE; then DO_PROMOTE=true; fi
if enabled TRACK; then DO_TRACK=true; fi

# What each enabled part needs, checked before anything runs.
[[ -n "$SERVER" ]] || fail 'input server is empty: the Gantry server URL, e.g. https://gantry.example.com'
[[ -n "$TOKEN" ]] || fail 'input token is empty: an API token (role ci to report and track, promoter to promote too)'
if ! $DO_REPORT && ! $DO_PROMOTE && ! $DO_TRACK; then fail 'nothing to do: set report, promote or track to true'; fi
if $DO_REPORT; then
  if [[ -n "$CHART" ]]; then
    [[ -n "$CHART_VERSION" ]] || fail 'report: input chart needs chart-version'
  else
    [[ -n "$IMAGE" && -n "$DIGEST" ]] || fail 'report: give inputs image and digest (or chart and chart-version)'
  fi
fi
if $DO_PROMOTE || $DO_TRACK; then [[ -n "$PIPELINE" ]] || fail 'promote and track: input pipeline is empty'; fi
if $DO_TRACK && ! $DO_PROMOTE; then [[ -n "$PHASE" ]] || fail 'track without promote: input phase is empty'; fi

work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/gantry-action.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Step outputs: to $GITHUB_OUTPUT in a workflow, else printed (a run by hand).
output() {
  [[ -n "$2" ]] || return 0
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  else
    printf 'output %s=%s\n' "$1" "$2"
  fi
}

# `key=value` lines from a JSON document (or, with --lines, JSON lines) read by node, which the
# CLI needs anyway; `paths` are `output-name=dotted.path`.
json_outputs() {
  node -e '
    const [file, ...paths] = process.argv.slice(1);
    let doc;
    try { doc = JSON.parse(require("fs").readFileSync(file, "utf8")); } catch { process.exit(0); }
    for (const spec of paths) {
      const [name, path] = spec.split("=");
      let v = doc;
      for (const k of path.split(".")) v = v == null ? undefined : v[k];
      if (v !== undefined && v !== null) process.stdout.write(`${name}=${v}\n`);
    }' "$@"
}

# What `track --json` said: the promotion it followed, its config commit, and the result.
track_outputs() {
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
    const out = {};
    for (const line of lines) {
      let o;
      try { o = JSON.parse(line); } catch { continue; }
      if (o.promotion) out["promotion-id"] = o.promotion;
      if (o.phase) out.phase = o.phase;
      if (o.type === "promotion" && o.commit) out.commit = o.commit;
      if (o.type === "result") {
        out.outcome = o.outcome;
        if (o.version) out.version = o.version;
        if (o.reason) out.reason = String(o.reason).replace(/\s+/g, " ");
      }
      if (o.type === "error") {
        out.outcome = "error";
        out.reason = `[${o.error?.code}] ${o.error?.message}`.replace(/\s+/g, " ");
      }
    }
    for (const [k, v] of Object.entries(out)) process.stdout.write(`${k}=${v}\n`);' "$1"
}

outputs_from() {
  local line
  while IFS= read -r line; do output "${line%%=*}" "${line#*=}"; done
}

# The command run as `gantry`.
CLI=()
resolve_cli() {
  if [[ -n "${GANTRY_CLI:-}" ]]; then
    read -r -a CLI <<<"$GANTRY_CLI"
    return
  fi
  if command -v gantry >/dev/null 2>&1 && [[ "$(command gantry --version 2>/dev/null || true)" == "$VERSION" ]]; then
    CLI=(gantry)
    return
  fi
  [[ -n "$VERSION" ]] || fail 'input version is empty: the gantry package version to install'
  local prefix="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/gantry-cli-$VERSION"
  echo "+ npm install --prefix $prefix gantry@$VERSION"
  npm install --prefix "$prefix" --no-fund --no-audit --loglevel=error "gantry@$VERSION"
  CLI=("$prefix/node_modules/.bin/gantry")
  # later steps of the job may run gantry too
  if [[ -n "${GITHUB_PATH:-}" ]]; then echo "$prefix/node_modules/.bin" >>"$GITHUB_PATH"; fi
}

# gantry_run <token> <args...>: prints the command as a person would type it, then runs it.
gantry_run() {
  local token="$1"
  shift
  # on stderr, as bash's xtrace does, so that stdout is the command's own (its JSON)
  {
    printf '+ gantry'
    printf ' %q' "$@"
    printf '\n'
  } >&2
  GANTRY_SERVER="$SERVER" GANTRY_TOKEN="$token" command "${CLI[@]}" "$@"
}

# GitHub's step outcomes (success, failure, cancelled, skipped) as Gantry's step statuses.
step_flag() {
  local name="${1%%=*}" rest="${1#*=}" status
  [[ "$1" == *=* ]] || {
    printf '%s' "$1"
    return
  }
  status="${rest%%[:@]*}"
  local tail="${rest:${#status}}"
  case "$status" in
  success) status=succeeded ;;
  failure | cancelled) status=failed ;;
  esac
  printf '%s=%s%s' "$name" "$status" "$tail"
}

report() {
  local args=(artifact report) step
  if [[ -n "$CHART" ]]; then args+=(--chart "$CHART" --version "$CHART_VERSION"); else args+=(--image "$IMAGE" --digest "$DIGEST"); fi
  # one step a word: name=status[:duration][@url], on lines or separated by spaces
  set -f # no globbing of the words
  for step in $STEPS; do args+=(--step "$(step_flag "$step")"); done
  set +f
  gantry_run "$TOKEN" "${args[@]}" --json | tee "$work/report.json"
  json_outputs "$work/report.json" artifact-id=artifact.id artifact-verified=artifact.verified | outputs_from
}

PROMOTED_ID=''
promote() {
  local args=(promote "$PIPELINE") code=0 kind
  [[ -z "$PHASE" ]] || args+=("$PHASE")
  [[ -z "$REASON" ]] || args+=(--reason "$REASON")
  # tracking follows the promotion from queued on, with its timeout (a promotion its gates keep
  # waiting, for an approval or a window, ends there as a timeout rather than holding the job)
  $DO_TRACK || args+=(--wait)
  gantry_run "$PROMOTE_TOKEN" "${args[@]}" --json >"$work/promote.json" || code=$?
  cat "$work/promote.json"
  [[ -s "$work/promote.json" ]] || return "$code"
  kind="$(json_outputs "$work/promote.json" kind=kind)"
  case "$kind" in
  kind=in-sync)
    json_outputs "$work/promote.json" phase=plan.phase >"$work/promote.out"
    echo "promoted=false" >>"$work/promote.out"
    $DO_TRACK || echo "outcome=in-sync" >>"$work/promote.out"
    ;;
  kind=queued)
    json_outputs "$work/promote.json" phase=promotion.phase promotion-id=promotion.id version=promotion.toVersion >"$work/promote.out"
    echo "promoted=true" >>"$work/promote.out"
    ;;
  *) # --wait: the promotion as it settled; else the CLI's error, already on stderr
    json_outputs "$work/promote.json" phase=phase promotion-id=id version=toVersion commit=commitSha outcome=state >"$work/promote.out"
    if grep -q '^promotion-id=' "$work/promote.out"; then echo "promoted=true" >>"$work/promote.out"; fi
    ;;
  esac
  outputs_from <"$work/promote.out"
  PHASE="$(sed -n 's/^phase=//p' "$work/promote.out")"
  PROMOTED_ID="$(sed -n 's/^promotion-id=//p' "$work/promote.out")"
  return "$code"
}

track() {
  local args=(track) code=0
  if [[ -z "$PHASE" ]]; then
    echo "$PIPELINE is in sync everywhere: no promotion to track"
    output outcome in-sync
    return 0
  fi
  # the build's own digest when known: the job ends when *this* image is verified there
  if [[ -n "$DIGEST" ]]; then
    args+=("$PIPELINE" "$PHASE" --digest "$DIGEST")
  elif [[ -n "$PROMOTED_ID" ]]; then
    args+=("$PROMOTED_ID")
  else
    args+=("$PIPELINE" "$PHASE")
  fi
  gantry_run "$TOKEN" "${args[@]}" --timeout "$TIMEOUT" --json | tee "$work/track.jsonl" || code=$?
  track_outputs "$work/track.jsonl" >"$work/track.out"
  { grep -v '^reason=' "$work/track.out" || true; } | outputs_from
  if [[ "$code" != 0 ]]; then
    local why
    why="$(sed -n 's/^outcome=//p' "$work/track.out"): $(sed -n 's/^reason=//p' "$work/track.out")"
    # an annotation on the run's summary page; the same words in the log elsewhere
    if [[ "${GITHUB_ACTIONS:-}" == true ]]; then echo "::error title=gantry track::$why" >&2; else echo "gantry track: $why" >&2; fi
  fi
  return "$code"
}

resolve_cli
if $DO_REPORT; then report; fi
if $DO_PROMOTE; then promote; fi
if $DO_TRACK; then track; fi
