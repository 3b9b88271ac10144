import type { TokenRole } from '@gantry/store';
import { withConfiguredStore } from '../configured-store.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import type { GlobalOptions } from '../runtime.js';

export async function tokenCreateCommand(
  io: Io,
  g: GlobalOptions,
  o: { name: string; role: TokenRole; json?: boolean },
): Promise<number> {
  return withConfiguredStore(io, g, async (store) => {
    const { token, record } = await store.createToken({ name: o.name, role: o.role });
    await store.recordAudit({
      actor: 'cli',
      action: 'token.create',
      subject: record.name,
      detail: { role: record.role, id: record.id },
    });
    if (o.json) io.out(toJson({ token, ...record }));
    else {
      io.out(`${token}\n`);
      io.err(`token "${record.name}" (${record.role}) created; it is shown once: store it now\n`);
    }
    return EXIT.ok;
  });
}

export async function tokenListCommand(io: Io, g: GlobalOptions, o: { json?: boolean }): Promise<number> {
  return withConfiguredStore(io, g, async (store) => {
    const tokens = await store.listTokens();
    if (o.json) io.out(toJson(tokens));
    else {
      for (const t of tokens)
        io.out(
          `${t.id}  ${t.name.padEnd(20)} ${t.role.padEnd(8)} ${t.revokedAt ? `revoked ${t.revokedAt}` : `created ${t.createdAt}`}\n`,
        );
    }
    return EXIT.ok;
  });
}

export async function tokenRevokeCommand(io: Io, g: GlobalOptions, id: string): Promise<number> {
  return withConfiguredStore(io, g, async (store) => {
    const done = await store.revokeToken(id);
    io.err(done ? `token ${id} revoked\n` : `no active token ${id}\n`);
    if (done) await store.recordAudit({ actor: 'cli', action: 'token.revoke', subject: id });
    return done ? EXIT.ok : EXIT.invalid;
  });
}
