import { editSandboxYaml } from './sandbox-yaml.js';

/** Production's approval by two admins, as an item of a gate list. */
export const TWO_ADMINS = '{ kind: approval, name: two-admins, count: 2, roles: [admin] }';

/** Where the YAML sandbox's production phase ends: its commit message. */
const PRODUCTION_MESSAGE = '        message: "release {{version}} to production"\n';

/**
 * The YAML sandbox in `dir` (`gantry sandbox init --yaml`) with `gates` (YAML flow items) on
 * production and no schedules (each test moves things itself); `extra` is top-level YAML
 * appended after that (notifications, say).
 */
export async function gateProduction(dir: string, gates: readonly string[] = [TWO_ADMINS], extra = ''): Promise<void> {
  const list = gates.map((g) => `          - ${g}\n`).join('');
  await editSandboxYaml(
    dir,
    (yaml) => yaml.replace(PRODUCTION_MESSAGE, `${PRODUCTION_MESSAGE}        gates:\n${list}`),
    extra,
  );
}
