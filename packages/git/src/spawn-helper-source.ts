/**
 * The git spawn helper's program, run with `node -e`: a string, not a file, so the TypeScript
 * sources, the built dist and the bundled `gantry` package start it alike with nothing to ship.
 *
 * It answers each request `{id, command, args, cwd, env, input}` with `{id, code, stdout, stderr}`
 * (what `createRunner` resolves with) or `{id, error}` (what spawn's 'error' event carried), and
 * exits when its parent goes: the IPC channel's 'disconnect'. SIGINT and SIGTERM are ignored so
 * that a Ctrl-C on a terminal (sent to the whole process group) leaves the commands of a
 * draining server running; the helper ends with its parent. Those handlers are reset by exec,
 * so git itself gets the signals as it did when spawned directly.
 *
 * Plain CommonJS without TypeScript: `node -e` evaluates it as given.
 */
export const SPAWN_HELPER_SOURCE = `
'use strict';
process.title = 'gantry git spawn helper';
const { spawn } = require('node:child_process');
process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
const send = (m) => { if (process.connected) process.send(m); };
const errorOf = (e) => ({
  message: String(e && e.message),
  code: e && e.code,
  errno: e && e.errno,
  syscall: e && e.syscall,
  path: e && e.path,
  spawnargs: e && e.spawnargs,
});
process.on('message', (r) => {
  let answered = false;
  const answer = (m) => { if (!answered) { answered = true; send(m); } };
  let child;
  try {
    child = spawn(r.command, r.args, {
      cwd: r.cwd,
      env: r.env,
      stdio: [r.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    answer({ id: r.id, error: errorOf(e) });
    return;
  }
  const out = [];
  const err = [];
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => err.push(d));
  child.on('error', (e) => answer({ id: r.id, error: errorOf(e) }));
  child.on('close', (code) => answer({
    id: r.id,
    code: code === null ? -1 : code,
    stdout: Buffer.concat(out).toString(),
    stderr: Buffer.concat(err).toString(),
  }));
  if (r.input !== undefined && child.stdin) {
    child.stdin.on('error', () => {});
    child.stdin.end(r.input);
  }
});
`;
