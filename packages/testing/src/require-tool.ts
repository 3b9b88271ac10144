import { execFileSync } from 'node:child_process';

/**
 * Whether an external program integration tests need is installed. In CI
 * (`GANTRY_REQUIRE_INTEGRATION=1`) a missing tool is an error, so an integration
 * test can never be skipped silently there.
 */
export function hasTool(command: string): boolean {
  let found = true;
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
  } catch {
    found = false;
  }
  if (!found && process.env.GANTRY_REQUIRE_INTEGRATION === '1') {
    throw new Error(`${command} is required for integration tests (GANTRY_REQUIRE_INTEGRATION=1) but is not installed`);
  }
  return found;
}
