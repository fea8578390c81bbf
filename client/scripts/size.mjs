// Prints the gzipped size of the built JavaScript: everything, and what a phone loads
// (the entry plus the chunks of the join and phone views).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../assets/dist/', import.meta.url));
const files = readdirSync(join(dist, 'assets'));
const gz = (f) => gzipSync(readFileSync(join(dist, 'assets', f)), { level: 9 }).length;
let total = 0;
for (const f of files.filter((f) => f.endsWith('.js')).sort()) {
  const n = gz(f);
  total += n;
  console.log(`${(n / 1024).toFixed(1).padStart(6)} kB  ${f}`);
}
const css = files.filter((f) => f.endsWith('.css')).reduce((a, f) => a + gz(f), 0);
console.log(`JS total (gzip): ${(total / 1024).toFixed(1)} kB; CSS total (gzip): ${(css / 1024).toFixed(1)} kB`);
