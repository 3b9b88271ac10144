// Regenerates schema/gantry.schema.json from the zod schema: `npm run schema`.
import { writeFile } from 'node:fs/promises';
import { configJsonSchema } from '../src/schema.js';

const target = new URL('../schema/gantry.schema.json', import.meta.url);
await writeFile(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
